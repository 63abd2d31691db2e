import { useMemo } from 'react';
import { wordDiff } from './word-diff.ts';

/** Renders a word-level diff as text spans (never as HTML: outputs may hold markup). */
export function WordDiff({ before, after }: { before: string; after: string }) {
  const parts = useMemo(() => wordDiff(before, after), [before, after]);
  return (
    <pre className="word-diff">
      {parts.map((p, i) =>
        p.kind === 'same' ? (
          <span key={i}>{p.text}</span>
        ) : (
          <span key={i} className={p.kind === 'add' ? 'diff-add' : 'diff-del'}>
            {p.text}
          </span>
        ),
      )}
    </pre>
  );
}
