// The trainer's output, monospace and scrollable, following the end while new lines arrive.
// Lines are streamed live (» marks progress the trainer reported as JSON); the job record itself
// keeps only the trainer's error.
import { useEffect, useRef } from 'react';

export function TrainerLog({ lines, error, training }: { lines: string[]; error: string | null; training: boolean }) {
  const box = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  if (lines.length === 0) {
    if (training) return <p className="subtle" data-testid="trainer-log-empty">No trainer output yet.</p>;
    return (
      <p className="subtle" data-testid="trainer-log-empty">
        {error ? 'The trainer failed (error above). ' : ''}The trainer's output is streamed while a job trains and kept for this window's session; it is not stored with the job, so jobs trained before this window opened show none.
      </p>
    );
  }
  return (
    <pre
      ref={box}
      className="trainer-log"
      data-testid="trainer-log"
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
    >
      {lines.join('\n')}
    </pre>
  );
}
