// The right side of Traces: the open trace, a row that has no trace (the program failed before
// one was written), or a hint.
import { memo } from 'react';
import type { ExampleResultRow } from '../../api/types.ts';
import { EmptyState } from '../../components/states.tsx';
import { TraceTree } from '../../components/TraceTree.tsx';
import { FieldTable } from './tree/FieldTable.tsx';

// Memoized: the view re-renders on every selection step, the pane only when its trace changes.
export const TracePane = memo(function TracePane({ traceId, row, predictor }: { traceId: number | null; row: ExampleResultRow | undefined; predictor: string | null }) {
  // `row` is the settled selection; ?trace= may already name a newer (clicked) row's trace.
  if (row && row.traceId === null && traceId === null) {
    return (
      <div data-testid="trace-missing">
        <h3>
          Example #{row.exampleIndex} <span className="mono">{row.exampleId ?? ''}</span>
        </h3>
        <p className="subtle">No trace was recorded for this example.</p>
        {row.error ? (
          <div className="tt-error">
            <b>{row.error.kind}</b>: <span className="mono">{row.error.message}</span>
          </div>
        ) : null}
        <div className="tt-section">Inputs</div>
        <FieldTable fields={row.inputs} />
        <div className="tt-section">Prediction</div>
        <FieldTable fields={row.prediction} empty="no prediction" />
        {row.labels ? (
          <>
            <div className="tt-section">Expected</div>
            <FieldTable fields={row.labels} testId="trace-expected" />
          </>
        ) : null}
      </div>
    );
  }
  if (traceId !== null) return <TraceTree key={traceId} traceId={traceId} predictor={predictor} />;
  if (row) return <EmptyState title="Loading…" />;
  return (
    <EmptyState title="No example selected">
      Pick a row, or press <kbd>j</kbd> to start from the first row in view.
    </EmptyState>
  );
});
