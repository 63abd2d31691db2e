// Traces: every example result of one evaluation (a stage on dev/test, or any evaluation by id)
// in a virtualized list that pages on demand, filtered, searched and sorted from the URL query;
// the selected example's trace (program → module → LM calls) on the right.
// Keys: j/k or ↓/↑ move, Enter focuses the trace, / focuses search, Esc clears.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getClient } from '../../api/client.ts';
import { ApiCallError } from '../../api/transport.ts';
import { replaceParams, useRouter } from '../../app/router.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { useCheckDefinitions } from '../../components/check-definitions.ts';
import { count } from '../../components/format.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { ExportTraces } from './ExportTraces.tsx';
import { ResultList } from './ResultList.tsx';
import { TraceFilters, stageLabel } from './TraceFilters.tsx';
import { TracePane } from './TracePane.tsx';
import { chooseStage, readParams, toQuery } from './trace-params.ts';
import { usePager } from './use-pager.ts';
import { useSettled } from './use-settled.ts';
import { useTraceKeys } from './use-trace-keys.ts';
import type { ResultPager } from './result-pager.ts';

/** How long the selection must rest before its trace loads (key repeat is ~30/s). */
const SETTLE_MS = 120;

function notEvaluatedYet(error: unknown): boolean {
  return error instanceof ApiCallError && error.code === 'not-found' && /has no evaluation/.test(error.message);
}

export function TracesView({ runId, params }: { runId: number; params: URLSearchParams }) {
  // Memoized: the view re-renders on every selection step; the filter bar need not.
  const p = useMemo(() => readParams(params), [params]);
  const stagesState = useApi(() => getClient().listStages({ runId }), [runId]);
  const checkDefs = useCheckDefinitions(runId);
  // ?stage= (e.g. from the Run view's tree) selects the stage; without it the first evaluated one.
  const { stageId, options: stages, unknown: unknownStage } = useMemo(() => chooseStage(stagesState.data, p.stageId), [stagesState.data, p.stageId]);
  const { pager, version } = usePager(unknownStage ? null : toQuery(p, stageId));
  const listStageId = pager?.evaluation?.stageId ?? stageId;
  const stageDetail = useApi(() => (listStageId !== null ? getClient().getStage({ stageId: listStageId }) : Promise.resolve(null)), [listStageId]);
  const predictorMap = stageDetail.data?.stage.programState?.predictors;
  const predictors = useMemo(() => Object.keys(predictorMap ?? {}), [predictorMap]);

  // A live run: new stages join the picker; a list waiting for its evaluation loads when it ends.
  const reloadStages = useThrottled(stagesState.reload, 1000);
  useApiEvents((e) => {
    if (e.type !== 'run-event' || e.runId !== runId) return;
    if (e.event.type === 'stage-end' || e.event.type === 'stage-start') reloadStages();
    if (e.event.type === 'evaluation-end' && pager?.error) pager.retry();
  });

  // The selected row: picked here (index into this pager's rows), else the row of ?trace=.
  const [picked, setPicked] = useState<{ pager: ResultPager | null; index: number } | null>(null);
  const fromUrl = useMemo(() => {
    if (!pager || p.traceId === null) return null;
    const i = pager.findIndex((r) => r.traceId === p.traceId);
    return i >= 0 ? i : null;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version: rows arrived
  }, [pager, version, p.traceId]);
  const selected = picked && picked.pager === pager ? picked.index : fromUrl;

  // Stable, so moving the selection re-renders only the two list rows whose `selected` changed.
  const pagerRef = useRef(pager);
  pagerRef.current = pager;
  const select = useCallback((index: number | null) => {
    setPicked(index === null ? null : { pager: pagerRef.current, index });
    if (index === null) replaceParams({ trace: null });
  }, []);
  // A click is one deliberate pick: its trace loads at once.
  const pickNow = useCallback(
    (index: number) => {
      select(index);
      const row = pagerRef.current?.row(index);
      if (row) replaceParams({ trace: row.traceId });
    },
    [select],
  );

  // The list moves at once; ?trace= (and with it the trace pane) follows once the pick has rested
  // SETTLE_MS, so holding j does not load and render a trace per step. A row still loading when
  // picked gets its trace when it arrives; ?trace= changed from elsewhere (a link) is left alone.
  const settled = useSettled(picked, SETTLE_MS);
  const settledRow = settled && settled.pager === pager ? pager?.row(settled.index) : undefined;
  useEffect(() => {
    if (!settledRow) return;
    const current = readParams(useRouter.getState().route.params).traceId;
    if (settledRow.traceId !== current) replaceParams({ trace: settledRow.traceId });
  }, [settledRow]);

  const searchRef = useRef<HTMLInputElement>(null);
  const paneRef = useRef<HTMLDivElement>(null);
  const firstVisible = useRef(0);
  useTraceKeys({ total: pager?.total ?? 0, selected, firstVisible, select, searchRef, paneRef });

  const stage = stages.find((s) => s.id === listStageId);
  const tag = `${pager?.evaluation?.split ?? p.split} · ${stage ? stage.prefix || 'zero-shot' : '—'}`;

  let list: React.ReactNode;
  if (stagesState.error) list = <ErrorState error={stagesState.error} onRetry={stagesState.reload} />;
  else if (stagesState.loading && !stagesState.data) list = <Loading label="Loading stages…" />;
  else if (unknownStage)
    list = (
      <EmptyState title={`Run #${runId} has no stage #${p.stageId}`}>
        <button type="button" data-testid="trace-stage-reset" onClick={() => replaceParams({ stage: null, trace: null })}>
          Show this run's stages
        </button>
      </EmptyState>
    );
  else if (!pager) list = <EmptyState title="No evaluated stages yet">Example results appear once a stage of this run has been evaluated.</EmptyState>;
  else if (notEvaluatedYet(pager.error))
    list = <EmptyState title={`Not evaluated on ${p.split} yet`}>This stage has no final evaluation on the {p.split} split (yet). Pick another split or stage.</EmptyState>;
  else if (pager.error) list = <ErrorState error={pager.error instanceof Error ? pager.error : String(pager.error)} onRetry={() => pager.retry()} />;
  else if (pager.total === null) list = <Loading label="Loading example results…" />;
  else if (pager.total === 0)
    list = (
      <EmptyState title="No matching examples">
        {p.q || p.outcome ? 'Nothing matches these filters. Clear the search or the outcome filter.' : 'This evaluation has no example results.'}
      </EmptyState>
    );
  else list = <ResultList pager={pager} total={pager.total} selected={selected} tag={tag} checkDefs={checkDefs} onSelect={pickNow} firstVisible={firstVisible} />;

  return (
    <div className="tr-view" data-testid="view-traces">
      <div className="page-head">
        <div>
          <h1>Traces · run #{runId}</h1>
          <div className="subtle" data-testid="trace-count">
            {pager?.total != null ? (
              <>
                {count(pager.total)} matching of {count(pager.evaluation?.n)} examples · {stage ? stageLabel(stage) : `evaluation #${pager.evaluation?.id}`} ·{' '}
                {pager.evaluation?.split}
                {pager.loading ? ' · loading…' : ''}
              </>
            ) : (
              '\u00a0' // keeps the line's height while loading
            )}
          </div>
        </div>
        <div className="spacer" />
        {pager?.query && pager.total ? <ExportTraces query={pager.query} total={pager.total} /> : null}
        <div className="subtle tr-keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> trace · <kbd>/</kbd> search · <kbd>Esc</kbd> clear
        </div>
      </div>
      <TraceFilters p={p} stages={stages} stageId={stageId} predictors={predictors} searchRef={searchRef} />
      <div className="tr-split">
        <div className="panel tr-listpane">{list}</div>
        <div className="panel tr-tracepane" ref={paneRef} tabIndex={-1} data-testid="trace-pane">
          <TracePane traceId={p.traceId} row={settledRow} predictor={p.predictor} />
        </div>
      </div>
    </div>
  );
}
