// Where the training rows came from: a w stage runs the program over the train set and turns
// the calls of passing traces into chat rows. The API stores those traces with the stage, so the
// stage's LM calls on models other than its own new adapters are the source traces. Shown while a
// stage trains; once its job is recorded, TrainingRows lists the exact rows instead.
import { useState } from 'react';
import { MAX_PAGE_SIZE } from '../../../../core/contract/schemas.ts';
import { getClient } from '../../api/client.ts';
import type { LMCallPage } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { useApi } from '../../app/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';

type Summary = LMCallPage['rows'][number];

const PAGE = MAX_PAGE_SIZE;
const SHOW = 100;

export function TrainingSources({ runId, stageId, adapterNames }: { runId: number; stageId: number; adapterNames: string[] }) {
  const [pages, setPages] = useState(1);
  const calls = useApi(async () => {
    const rows: Summary[] = [];
    let cursor: string | null = null;
    let more = false;
    for (let i = 0; i < pages; i++) {
      const page: LMCallPage = await getClient().pageLMCalls({ runId, stageId, sort: 'oldest', limit: PAGE, ...(cursor ? { cursor } : {}) });
      rows.push(...page.rows);
      cursor = page.nextCursor;
      more = cursor !== null;
      if (!cursor) break;
    }
    return { rows, more };
  }, [runId, stageId, pages]);
  const [shown, setShown] = useState(SHOW);

  if (!calls.data) return calls.error ? <ErrorState error={calls.error} onRetry={calls.reload} /> : <Loading label="Loading source traces…" />;
  const adapters = new Set(adapterNames);
  const byTrace = new Map<number, Summary[]>();
  for (const c of calls.data.rows) {
    if (adapters.has(c.model)) continue; // evaluation of the trained adapter, not training data
    const list = byTrace.get(c.traceId) ?? [];
    list.push(c);
    byTrace.set(c.traceId, list);
  }
  const traces = [...byTrace.entries()];
  if (traces.length === 0) return <EmptyState title="No source traces">No LM calls of this stage ran on the base program.</EmptyState>;
  return (
    <div data-testid="training-sources">
      <p className="subtle">
        {traces.length} traces of the program on the train set (only passing ones became rows). Row ↔ trace map: <code>provenance.jsonl</code> beside <code>train.jsonl</code>.
      </p>
      <div className="ft-sources-scroll">
        <table className="data ft-sources">
          <colgroup>
            <col style={{ width: 72 }} />
            <col style={{ width: 140 }} />
            <col />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th className="num">Trace</th>
              <th>Predictor</th>
              <th>Input (start)</th>
              <th>Output (start)</th>
            </tr>
          </thead>
          <tbody>
            {traces.slice(0, shown).map(([traceId, cs]) => {
              const c = cs[0]!;
              const href = hrefFor('traces', { runId, params: { trace: traceId } });
              return (
                <tr key={traceId} data-testid={`source-trace-${traceId}`}>
                  <td className="num">
                    <a href={href}>#{traceId}</a>
                  </td>
                  <td className="mono">
                    {[...new Set(cs.map((x) => x.predictor))].join(', ')}
                    {cs.length > 1 ? <span className="subtle"> ({cs.length} calls)</span> : null}
                  </td>
                  {/* The previews are clipped to one line by a block inside the cell, with an ellipsis; the full text is in the tooltip. */}
                  <td className="ft-preview" title={c.promptPreview}>
                    <div className="ft-clip">{c.promptPreview}</div>
                  </td>
                  <td className="ft-preview" title={c.error ? `${c.error.kind}: ${c.error.message}` : (c.completionPreview ?? '')} data-testid="source-trace-output">
                    <div className="ft-clip">{c.error ? <span className="stage-error">{c.error.kind}: {c.error.message}</span> : (c.completionPreview ?? '')}</div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="row">
        {traces.length > shown ? (
          <button type="button" onClick={() => setShown((n) => n + SHOW)} data-testid="sources-more">
            Show {Math.min(SHOW, traces.length - shown)} more of {traces.length - shown}
          </button>
        ) : null}
        {calls.data.more ? (
          <button type="button" onClick={() => setPages((p) => p + 1)}>
            Load more LM calls
          </button>
        ) : null}
      </div>
    </div>
  );
}
