// The trainer's output, monospace, wrapped and scrollable. A recorded job shows the end of stdout +
// stderr stored with it, its JSON progress lines in compact form (» marks them; hover for the line
// as printed); while a job trains, the lines streamed live (» again marks reported progress),
// following the end.
import { useEffect, useMemo, useRef } from 'react';
import { formatLogLines } from './log-format.ts';

export function TrainerLog({ lines, stored, error, training }: { lines: string[]; stored: string | null | undefined; error: string | null; training: boolean }) {
  // `stored`: undefined = no job record yet; null = recorded before trainer output was stored.
  // The live array changes in place (live-store), so only the stored tail is memoized.
  const storedLines = useMemo(() => (stored ? formatLogLines(stored.replace(/\n$/, '').split('\n')) : null), [stored]);
  const shown = storedLines ?? formatLogLines(lines);
  const box = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [shown.length, stored]);

  if (stored === '') {
    return (
      <p className="subtle" data-testid="trainer-log-empty">
        The trainer printed nothing{error ? ' before it failed (error above)' : ''}.
      </p>
    );
  }
  if (shown.length === 0) {
    if (training) return <p className="subtle" data-testid="trainer-log-empty">No trainer output yet.</p>;
    return (
      <p className="subtle" data-testid="trainer-log-empty">
        {error ? 'The trainer failed (error above). ' : ''}
        {stored === null
          ? 'This job was recorded before jobs kept their trainer output, and this window saw none of it streamed.'
          : 'No trainer output: the job is recorded with its output when the trainer ends.'}
      </p>
    );
  }
  return (
    <>
      <div className="subtle ft-log-caption" data-testid="trainer-log-source">
        {stored ? `last ${shown.length} lines of the trainer's stdout + stderr, stored with the job` : training ? 'streaming live' : "streamed in this window (the job record has no stored output)"}
      </div>
      <pre
        ref={box}
        className="trainer-log"
        data-testid="trainer-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {shown.map((l, i) => {
          const end = i < shown.length - 1 ? '\n' : '';
          return l.raw ? (
            <span key={i} className="ft-log-json" title={l.raw}>
              » {l.text}
              {end}
            </span>
          ) : (
            <span key={i}>
              {l.text}
              {end}
            </span>
          );
        })}
      </pre>
    </>
  );
}
