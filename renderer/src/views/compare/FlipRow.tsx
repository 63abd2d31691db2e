// One flipped example: what it was, the baseline's output → the strategy's output as a word
// diff, and (expanded) both traces inline, side by side. All backend text is rendered as text.
import { forwardRef } from 'react';
import { TraceTree } from '../../components/TraceTree.tsx';
import { WordDiff } from '../../components/WordDiff.tsx';
import { ErrorState } from '../../components/states.tsx';
import { hrefFor } from '../../app/router.ts';
import { useApi } from '../../app/use-api.ts';
import { strategyLabel } from './compare-params.ts';
import { inputsSummary, predictionText, type FlipItem } from './flip-items.ts';
import { loadTrace } from './trace-cache.ts';

interface Props {
  item: FlipItem;
  baseline: string;
  showRun: boolean;
  focused: boolean;
  expanded: boolean;
  onToggle(): void;
  onFocus(): void;
}

export const FlipRow = forwardRef<HTMLLIElement, Props>(function FlipRow({ item, baseline, showRun, focused, expanded, onToggle, onFocus }, ref) {
  const { baselineTraceId, traceId } = item.example;
  const traces = useApi(() => Promise.all([baselineTraceId ? loadTrace(baselineTraceId) : null, traceId ? loadTrace(traceId) : null]), [baselineTraceId, traceId]);
  const [base, mine] = traces.data ?? [null, null];
  const regression = item.kind === 'regression';
  const cls = ['cmp-flip', focused ? 'focused' : '', expanded ? 'expanded' : ''].filter(Boolean).join(' ');
  return (
    <li ref={ref} className={cls} data-testid="compare-flip-row" data-kind={item.kind} data-key={item.key} onMouseDown={onFocus}>
      <button type="button" className="cmp-flip-head" onClick={onToggle} aria-expanded={expanded} data-testid="compare-flip-toggle">
        <span className={regression ? 'badge badge-fail' : 'badge badge-pass'} title={regression ? 'right under the baseline, wrong under the strategy' : 'wrong under the baseline, right under the strategy'}>
          {regression ? 'R→W' : 'W→R'}
        </span>
        <span className="mono cmp-flip-strategy">{item.label}</span>
        <span className="subtle">seed {item.seed}</span>
        {showRun ? <span className="subtle">run #{item.runId}</span> : null}
        <span className="mono">{item.example.exampleId ?? `#${item.example.exampleIndex}`}</span>
        <span className="subtle mono cmp-flip-inputs">{inputsSummary(mine ?? base)}</span>
        <span className="cmp-caret" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
      </button>
      <div className="cmp-flip-diff">
        {traces.error ? (
          <ErrorState error={traces.error} onRetry={traces.reload} />
        ) : traces.loading && !traces.data ? (
          <span className="subtle">loading outputs…</span>
        ) : (
          <>
            <div className="subtle cmp-diff-legend">
              <span className="cmp-legend-del">{strategyLabel(baseline)}</span> → <span className="cmp-legend-add">{item.label}</span>
            </div>
            <WordDiff before={predictionText(base)} after={predictionText(mine)} />
          </>
        )}
      </div>
      {expanded ? (
        <div className="grid-2 cmp-flip-traces" data-testid="compare-flip-traces">
          <TracePane title={`baseline · ${strategyLabel(baseline)}`} traceId={baselineTraceId} runId={item.runId} />
          <TracePane title={`strategy · ${item.label}`} traceId={traceId} runId={item.runId} />
        </div>
      ) : null}
    </li>
  );
});

function TracePane({ title, traceId, runId }: { title: string; traceId: number | null; runId: number }) {
  return (
    <div className="panel">
      <div className="row">
        <h3>{title}</h3>
        <span className="spacer" />
        {traceId ? (
          <a href={hrefFor('traces', { runId, params: { trace: traceId } })} className="subtle">
            trace #{traceId} in Traces ↗
          </a>
        ) : null}
      </div>
      {traceId ? <TraceTree traceId={traceId} /> : <p className="subtle">This result has no stored trace.</p>}
    </div>
  );
}
