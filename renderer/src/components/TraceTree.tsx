// One program trace as a tree: program → module (predictor path) → LM calls, each with its
// rendered messages, raw completion, parsed fields, tokens, latency, cache hit and error, and the
// program's retrievals between them in execution order (passages with the example's gold titles
// marked); above it the example's inputs, prediction, expected answer (gold labels, when kept),
// result and intermediate check values.
// Loads the trace itself (api.getTrace).
// Used by Traces and Compare: <TraceTree traceId={42} />; `predictor` opens that module only.
import { getClient } from '../api/client.ts';
import type { TraceDetail } from '../api/types.ts';
import { useApi } from '../app/use-api.ts';
import { count, pct, when } from './format.ts';
import { ErrorState, Loading } from './states.tsx';
import { FieldTable } from '../views/traces/tree/FieldTable.tsx';
import { ModuleNode } from '../views/traces/tree/ModuleNode.tsx';
import { RetrievalNode } from '../views/traces/tree/RetrievalNode.tsx';
import { executionOrder, goldTitles } from '../views/traces/tree/execution-order.ts';
import { ms } from '../views/traces/tree/tree-model.ts';
import { TraceChecks } from './TraceChecks.tsx';

export function TraceTree({ traceId, predictor }: { traceId: number; predictor?: string | null }) {
  const { data, error, loading, reload } = useApi(() => getClient().getTrace({ traceId }), [traceId]);
  if (error && (!data || data.trace.id !== traceId)) return <ErrorState error={error} onRetry={reload} />;
  if (!data || (loading && data.trace.id !== traceId)) return <Loading label={`Loading trace #${traceId}…`} />;
  return <TraceBody detail={data} predictor={predictor ?? null} />;
}

function TraceBody({ detail, predictor }: { detail: TraceDetail; predictor: string | null }) {
  const { trace, result } = detail;
  const nodes = executionOrder(trace.calls, trace.retrievals);
  const groups = nodes.flatMap((n) => (n.kind === 'module' ? [n.group] : []));
  const modules = new Set(groups.map((g) => g.path)).size;
  const retrievals = trace.retrievals?.length ?? 0;
  const gold = goldTitles(result?.labels);
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
        <TraceChecks runId={trace.runId} checks={trace.checks} />
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
            {modules} module{modules === 1 ? '' : 's'} · {trace.calls.length} LM call{trace.calls.length === 1 ? '' : 's'}
            {retrievals ? ` · ${retrievals} retrieval${retrievals === 1 ? '' : 's'}` : ''}
          </span>
          <span className="tt-metric">
            {count(tokensIn)} → {count(tokensOut)} tok
          </span>
          <span className="tt-metric">{ms(latency)}</span>
        </summary>
        <div className="tt-children">
          {nodes.length === 0 ? <div className="subtle">no LM calls</div> : null}
          {nodes.map((n) =>
            n.kind === 'module' ? (
              <ModuleNode
                key={n.key}
                group={n.group}
                open={predictor === null || predictor === n.group.path}
                dim={predictor !== null && predictor !== n.group.path}
                // With retrievals between them, the calls start closed so the steps read in order; a chosen module opens its call.
                openCalls={n.group.calls.length === 1 && (retrievals === 0 || predictor === n.group.path)}
              />
            ) : (
              <RetrievalNode key={n.key} retrieval={n.retrieval} gold={gold} open={predictor === null} dim={predictor !== null} />
            ),
          )}
        </div>
      </details>
    </div>
  );
}
