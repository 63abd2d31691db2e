// The fine-tune jobs of a run (one per fine-tuning stage and model group), a stage training right now, and
// the selected one in detail. Selection: the job in the path, else ?stage=<id> (from the strategy
// tree), else the stage training now, else the first job. j / k move through the list.
import { useCallback, useEffect, useMemo } from 'react';
import { getClient } from '../../api/client.ts';
import type { ApiEvent, FinetuneJobRecord, StageSummary } from '../../api/types.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { hrefFor, useRouter } from '../../app/router.ts';
import { needsFinetuner, useStepKinds } from '../../app/step-kinds.ts';
import { finetuningTokens } from '../../../../core/contract/finetuner-rule.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { ensureLiveSubscription, useRunLive } from '../run/live-store.ts';
import { JobDetail } from './JobDetail.tsx';
import { JobList, type ListEntry } from './JobList.tsx';

export function FinetuneView({ runId, jobId }: { runId: number; jobId: number | null }) {
  useEffect(() => ensureLiveSubscription(), []);
  const navigate = useRouter((s) => s.navigate);
  const stageParam = useRouter((s) => s.route.params.get('stage'));
  const data = useApi(async () => {
    const [jobs, stages] = await Promise.all([getClient().listFinetuneJobs({ runId }), getClient().listStages({ runId })]);
    return { jobs, stages };
  }, [runId]);
  const live = useRunLive(runId);
  const stepKinds = useStepKinds();
  const reload = useThrottled(data.reload, 500);
  useApiEvents((e: ApiEvent) => {
    if (e.type === 'run-event' && e.runId === runId && (e.event.type === 'stage-start' || e.event.type === 'stage-end' || e.event.type === 'run-end')) reload();
    if (e.type === 'run-event' && e.runId === runId && e.event.type === 'finetune' && e.event.event.type === 'start') reload();
    if (e.type === 'run-status' && e.runId === runId) reload();
  });

  const entries = useMemo<ListEntry[]>(() => {
    if (!data.data) return [];
    const stageById = new Map(data.data.stages.map((s) => [s.id, s]));
    const out: ListEntry[] = data.data.jobs.map((job: FinetuneJobRecord) => ({ key: `job-${job.id}`, job, stage: stageById.get(job.stageId) ?? null, stageId: job.stageId }));
    // Fine-tuning stages without a recorded job yet: training now, or waiting.
    const withJob = new Set(data.data.jobs.map((j) => j.stageId));
    for (const s of data.data.stages) {
      if (needsFinetuner(s.kind, stepKinds) && !withJob.has(s.id) && s.status !== 'finished') out.push({ key: `stage-${s.id}`, job: null, stage: s, stageId: s.id });
    }
    return out;
  }, [data.data, stepKinds]);

  const selected = useMemo(() => {
    if (jobId !== null) return entries.find((e) => e.job?.id === jobId) ?? null;
    // Without a stage asked for: a fine-tune running now (seeds run at once: the newest one).
    const running = [...(live?.running ?? [])].reverse();
    const wanted = stageParam !== null ? [Number(stageParam)] : running;
    return wanted.map((id) => entries.find((e) => e.stageId === id)).find((e) => e !== undefined) ?? entries[0] ?? null;
  }, [entries, jobId, stageParam, live?.running]);

  const hrefOf = useCallback((e: ListEntry) => (e.job ? hrefFor('finetune', { runId, itemId: e.job.id }) : hrefFor('finetune', { runId, params: { stage: e.stageId } })), [runId]);
  const commands = useMemo<Command[]>(() => {
    const i = selected ? entries.indexOf(selected) : -1;
    const go = (d: number) => {
      const next = entries[Math.min(entries.length - 1, Math.max(0, i + d))];
      if (next) navigate(hrefOf(next));
    };
    return [
      { id: 'finetune.next', title: 'Next fine-tune job', group: 'Fine-tune', shortcut: 'j', run: () => go(1) },
      { id: 'finetune.prev', title: 'Previous fine-tune job', group: 'Fine-tune', shortcut: 'k', run: () => go(-1) },
      { id: 'finetune.run', title: 'Back to the run', group: 'Fine-tune', shortcut: 'g r', run: () => navigate(hrefFor('run', { runId })) },
    ];
  }, [entries, selected, navigate, runId, hrefOf]);
  useCommands(commands);

  if (!data.data) {
    return (
      <div data-testid="view-finetune" className="ft-view">
        {data.error ? <ErrorState error={data.error} onRetry={data.reload} /> : <Loading label="Loading fine-tune jobs…" />}
      </div>
    );
  }
  const { stages } = data.data;
  const head = (
    <div className="page-head">
      <div>
        <h1>Fine-tune · run #{runId}</h1>
        <div className="subtle">LoRA jobs of the run's w (Θ) steps: one per stage and model group. j / k: next / previous.</div>
      </div>
    </div>
  );
  if (entries.length === 0) {
    const trainingKinds = [...new Set(stages.filter((s: StageSummary) => needsFinetuner(s.kind, stepKinds)).map((s) => s.kind))];
    const hasTraining = trainingKinds.length > 0;
    const trainingTokens = finetuningTokens(stepKinds);
    return (
      <div data-testid="view-finetune" className="ft-view">
        {head}
        <EmptyState title={hasTraining ? 'No fine-tune jobs recorded' : 'No fine-tuning in this run'}>
          {hasTraining ? (
            <p>The run's {trainingKinds.join(' and ')} stages trained nothing (no passing traces to train on).</p>
          ) : (
            <p>
              This run has no {trainingTokens.length > 0 ? trainingTokens.join(' or ') : 'fine-tuning'} stage. Strategies such as <code>p -&gt; w</code> or <code>w</code> fine-tune the model's weights.{' '}
              <a href={hrefFor('run', { runId })}>Back to the run</a>
            </p>
          )}
        </EmptyState>
      </div>
    );
  }
  const selStageId = selected?.stageId ?? null;
  const adapterNames = data.data.jobs.filter((j) => j.stageId === selStageId).map((j) => j.adapterName);
  return (
    <div data-testid="view-finetune" className="ft-view">
      {head}
      {data.error ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      <div className="ft-layout">
        <JobList entries={entries} selectedKey={selected?.key ?? null} hrefOf={hrefOf} live={live} />
        {selected ? (
          <JobDetail
            runId={runId}
            job={selected.job}
            stage={selected.stage}
            live={selStageId !== null ? (live?.stages.get(selStageId) ?? null) : null}
            log={selStageId !== null ? (live?.logs.get(selStageId) ?? []) : []}
            adapterNames={adapterNames}
          />
        ) : (
          <EmptyState title={`No job #${jobId ?? ''} in this run`}>Pick one from the list.</EmptyState>
        )}
      </div>
    </div>
  );
}
