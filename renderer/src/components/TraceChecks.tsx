// A trace's intermediate check values as chips in its header ("recall@hop1 50%"), labelled by
// the run's check definitions (the description as the tooltip).
import type { CheckValues } from '../api/types.ts';
import { checkValueText, orderedChecks, useCheckDefinitions } from './check-definitions.ts';

export function TraceChecks({ runId, checks }: { runId: number; checks: CheckValues | undefined }) {
  const has = !!checks && Object.keys(checks).length > 0;
  const defs = useCheckDefinitions(runId, has);
  if (!has) return null;
  return (
    <div className="tt-checks" data-testid="trace-checks" aria-label="intermediate checks">
      {orderedChecks(checks, defs).map((c) => (
        <span key={c.name} className={`tt-check ${c.value === 1 ? 'tt-check-full' : c.value === 0 ? 'tt-check-zero' : ''}`} title={c.description ?? c.name} data-testid={`trace-check-${c.name}`}>
          <span className="tt-check-label">{c.label}</span> <b>{checkValueText(c.value)}</b>
        </span>
      ))}
    </div>
  );
}
