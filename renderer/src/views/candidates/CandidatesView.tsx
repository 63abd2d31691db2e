// Candidates: the random-search candidates of a stage that searched (a Π prompt stage) — a sortable table and a
// demos-vs-score scatter with the winner marked in both — and the selected candidate's
// instructions (diffed against the baseline) and demos. Keys: j/k move the selection.
import { useEffect, useMemo, useRef, useState } from 'react';
import { getClient } from '../../api/client.ts';
import type { CandidateView } from '../../api/types.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { hrefFor, replaceParams, useRouter } from '../../app/router.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { pct } from '../../components/format.ts';
import { useCheckDefinitions } from '../../components/check-definitions.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { CandidateDetail } from './CandidateDetail.tsx';
import { CandidateScatter } from './CandidateScatter.tsx';
import { CandidateTable } from './CandidateTable.tsx';
import { ensureLiveSubscription, useRunLive } from '../run/live-store.ts';
import { stagesWithCandidates } from '../run/stage-links.ts';
import { baselineOf, kindLabel, sortCandidates, winnerOf, type SortKey, type SortState } from './candidate-model.ts';

export function CandidatesView({ runId, stageId }: { runId: number; stageId: number | null }) {
  useEffect(() => ensureLiveSubscription(), []);
  // The stages that have candidates: recorded ones have a validation curve, a running one reports its search.
  const stages = useApi(async () => {
    const [list, curves] = await Promise.all([getClient().listStages({ runId }), getClient().getCurves({ runId })]);
    return { list, validation: curves.validation };
  }, [runId]);
  const live = useRunLive(runId);
  const withCandidates = stagesWithCandidates(stages.data?.validation, live);
  const pStages = (stages.data?.list ?? []).filter((s) => withCandidates.has(s.id));
  const current = stageId ?? pStages[0]?.id ?? null;
  const reloadStages = useThrottled(stages.reload, 1000);
  useApiEvents((e) => {
    if (e.type === 'run-event' && e.runId === runId && (e.event.type === 'stage-start' || e.event.type === 'stage-end')) reloadStages();
  });

  let body: React.ReactNode;
  if (stages.error) body = <ErrorState error={stages.error} onRetry={stages.reload} />;
  else if (!stages.data) body = <Loading label="Loading stages…" />;
  else if (pStages.length === 0 && stageId === null)
    body = (
      <EmptyState title="No prompt-optimization stage in this run">
        Candidates come from Π stages (<code>p</code>) — random search over few-shot programs. This run's strategies have none (yet).
      </EmptyState>
    );
  else if (current !== null) body = <StageCandidatesPanel key={current} runId={runId} stageId={current} />;

  return (
    <div data-testid="view-candidates">
      <div className="page-head">
        <div>
          <h1>Candidates · run #{runId}</h1>
          <div className="subtle">Random-search candidates of a prompt (Π) stage, scored on the validation set.</div>
        </div>
      </div>
      {pStages.length > 0 ? (
        <div className="tabs" role="tablist" aria-label="Prompt stages">
          {pStages.map((s) => (
            <a
              key={s.id}
              role="tab"
              aria-selected={s.id === current}
              className={s.id === current ? 'cand-tab active' : 'cand-tab'}
              href={hrefFor('candidates', { runId, itemId: s.id })}
              data-testid="candidate-stage-tab"
              data-stage-id={s.id}
            >
              #{s.id} seed {s.seed ?? '—'} · <span className="mono">{s.prefix}</span>
              {s.scores?.dev !== undefined ? <span className="subtle"> · dev {s.scores.dev.toFixed(1)}%</span> : null}
            </a>
          ))}
        </div>
      ) : null}
      {body}
    </div>
  );
}

function StageCandidatesPanel({ runId, stageId }: { runId: number; stageId: number }) {
  const { data, error, loading, reload } = useApi(() => getClient().listCandidates({ stageId }), [stageId]);
  const param = useRouter((s) => s.route.params.get('c'));
  // A running search: candidates appear as they are scored.
  const reloadCandidates = useThrottled(reload, 1000);
  useApiEvents((e) => {
    if (e.type !== 'run-event') return;
    const ev = e.event;
    if ((ev.type === 'optimizer' || ev.type === 'stage-end') && ev.stageId === stageId) reloadCandidates();
  });
  const [sort, setSort] = useState<SortState>({ key: 'idx', desc: false });
  const candidates = useMemo(() => data?.candidates ?? [], [data]);
  const rows = useMemo(() => sortCandidates(candidates, sort), [candidates, sort]);
  const winner = winnerOf(candidates);
  const selected = candidates.find((c) => String(c.idx) === param) ?? winner ?? candidates[0];
  const select = (c: CandidateView) => replaceParams({ c: c.idx });
  // Labels of the checks on the demos' source traces, asked only when some demo was measured.
  const defs = useCheckDefinitions(runId, candidates.some((c) => Object.keys(c.demoChecks).length > 0));
  const onSort = (key: SortKey) => setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: key === 'score' }));

  const ref = useRef({ rows, selected });
  ref.current = { rows, selected };
  const commands = useMemo<Command[]>(() => {
    const move = (d: number) => {
      const { rows: list, selected: sel } = ref.current;
      const i = sel ? list.findIndex((c) => c.id === sel.id) : -1;
      const next = list[Math.min(list.length - 1, Math.max(0, i + d))];
      if (next) replaceParams({ c: next.idx });
    };
    return [
      { id: 'candidates.next', title: 'Next candidate', group: 'Candidates', shortcut: 'j', run: () => move(1) },
      { id: 'candidates.prev', title: 'Previous candidate', group: 'Candidates', shortcut: 'k', run: () => move(-1) },
      { id: 'candidates.winner', title: 'Select the winning candidate', group: 'Candidates', shortcut: 'w', run: () => { const w = winnerOf(ref.current.rows); if (w) replaceParams({ c: w.idx }); } },
    ];
  }, []);
  useCommands(commands);

  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading && !data) return <Loading label="Loading candidates…" />;
  if (candidates.length === 0)
    return <EmptyState title="No candidates yet">{data?.stage.status === 'running' ? 'The random search is still running; candidates appear as they are scored.' : 'This stage saved no candidates.'}</EmptyState>;

  return (
    <>
      <div className="grid-2 cand-top">
        <div className="panel">
          <div className="row cand-panel-head">
            <h3>{candidates.length} candidates</h3>
            <span className="subtle">
              winner: {winner ? `#${winner.idx} · ${kindLabel(winner.kind)} · ${pct(winner.score)}` : 'none yet'}
            </span>
          </div>
          <CandidateTable rows={rows} sort={sort} onSort={onSort} selectedId={selected?.id ?? null} onSelect={select} defs={defs} />
        </div>
        <div className="panel">
          <div className="row cand-panel-head">
            <h3>Score vs. demos</h3>
            <span className="subtle">
              <span className="cand-key cand-key-win" /> winner <span className="cand-key" /> candidate
            </span>
          </div>
          <CandidateScatter candidates={candidates} selectedId={selected?.id ?? null} onSelect={select} />
        </div>
      </div>
      <div className="panel cand-detail">
        <CandidateDetail c={selected} baseline={baselineOf(candidates)} runId={runId} defs={defs} />
      </div>
    </>
  );
}
