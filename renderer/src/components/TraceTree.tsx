// One program trace as a tree: program → module (predictor path) → LM calls, each with its
// rendered messages, raw completion, parsed fields, tokens, latency, cache hit and error; above
// it the example's inputs, prediction, expected answer (gold labels, when kept) and result.
// Loads the trace itself (api.getTrace).
// Used by Traces and Compare: <TraceTree traceId={42} />; `predictor` opens that module only.
import { getClient } from '../api/client.ts';
import type { TraceDetail } from '../api/types.ts';
import { useApi } from '../app/use-api.ts';
import { count, pct, when } from './format.ts';
import { ErrorState, Loading } from './states.tsx';
import { FieldTable } from '../views/traces/tree/FieldTable.tsx';
import { ModuleNode } from '../views/traces/tree/ModuleNode.tsx';
import { groupByModule, ms } from '../views/traces/tree/tree-model.ts';

export function TraceTree({ traceId, predictor }: { traceId: number; predictor?: string | null }) {
  const { data, error, loading, reload } = useApi(() => getClient().getTrace({ traceId }), [traceId]);
  if (error && (!data || data.trace.id !== traceId)) return <ErrorState error={error} onRetry={reload} />;
  if (!data || (loading && data.trace.id !== traceId)) return <Loading label={`Loading trace #${traceId}…`} />;
  return <TraceBody detail={data} predictor={predictor ?? null} />;
}

function TraceBody({ detail, predictor }: { detail: TraceDetail; predictor: string | null }) {
  const { trace, result } = detail;
  const groups = groupByModule(trace.calls);
  const tokensIn = groups.reduce((s, g) => s + g.promptTokens, 0);
  const tokensOut = groups.reduce((s, g) => s + g.completionTokens, 0);
  const latency = groups.reduce((s, g) => s + g.latencyMs, 0);
  return (
    <div className="trace-tree" data-testid="trace-tree" data-trace-id={trace.id}>
      <div className="tt-head">
        <h3>
          Trace #{trace.id} <span className="mono">{trace.exampleId ?? '(no example id)'}</span>
        </h3>
        <div className="row subtle">
          <span className="badge" title={trace.purpose === 'bootstrap' ? 'a run on a training example whose passing trace became a demo' : undefined}>
            {trace.purpose}
          </span>
          {trace.stageId !== null ? <span>stage #{trace.stageId}</span> : null}
          {result ? (
            <>
              <span className={result.passed ? 'badge badge-pass' : 'badge badge-fail'} data-testid="trace-outcome">
                {result.passed ? 'pass' : 'fail'}
              </span>
              <span>score {pct(result.score)}</span>
              <span>
                {result.split} · example #{result.exampleIndex}
              </span>
            </>
          ) : null}
          <span>{when(trace.createdAt)}</span>
        </div>
      </div>
      {trace.error ? (
        <div className="tt-error" data-testid="trace-error">
          <b>{trace.error.kind}</b>: <span className="mono">{trace.error.message}</span>
        </div>
      ) : null}
      <div className="tt-example">
        <div>
          <div className="tt-section">Inputs</div>
          <FieldTable fields={trace.inputs} testId="trace-inputs" />
        </div>
        <div>
          <div className="tt-section">Prediction</div>
          <FieldTable fields={trace.prediction} empty="no prediction" testId="trace-prediction" />
          {/* Under the prediction, so the two read together however narrow the pane is. */}
          {result?.labels ? (
            <>
              <div className="tt-section" title="the example's gold labels: what the metric compared the prediction against">
                Expected
              </div>
              <FieldTable fields={result.labels} testId="trace-expected" />
            </>
          ) : null}
        </div>
      </div>
      <details className="tt-node tt-program" open>
        <summary>
          <span className="tt-kind">program</span>
          <span className="tt-metric">
            {groups.length} module{groups.length === 1 ? '' : 's'} · {trace.calls.length} LM call{trace.calls.length === 1 ? '' : 's'}
          </span>
          <span className="tt-metric">
            {count(tokensIn)} → {count(tokensOut)} tok
          </span>
          <span className="tt-metric">{ms(latency)}</span>
        </summary>
        <div className="tt-children">
          {groups.length === 0 ? <div className="subtle">no LM calls</div> : null}
          {groups.map((g) => (
            <ModuleNode key={g.path} group={g} open={predictor === null || predictor === g.path} dim={predictor !== null && predictor !== g.path} />
          ))}
        </div>
      </details>
    </div>
  );
}
