// One fine-tune job: what it trained (base model, adapter, data: the exact rows with their source
// traces), how (hyperparameters), how it went (loss curve, duration, adapter size, error) and the
// trainer's output; or a stage training right now.
import type { FinetuneJobRecord, StageSummary } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { bytes, duration, when } from '../../components/format.ts';
import type { StageLive } from '../run/live-store.ts';
import { Hyperparams } from './Hyperparams.tsx';
import { LossChart } from './LossChart.tsx';
import { trainRowsFromLog } from './log-format.ts';
import { TrainerLog } from './TrainerLog.tsx';
import { TrainingRows } from './TrainingRows.tsx';
import { DownloadRows } from './DownloadRows.tsx';
import { TrainingSources } from './TrainingSources.tsx';

function dirOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '' : file.slice(0, i + 1);
}

function Facts({ rows }: { rows: Array<[string, React.ReactNode]> }) {
  return (
    <table className="data facts">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Rows written, and how many the trainer says it trained on (the record, else its log's start event). */
function RowsFact({ job }: { job: FinetuneJobRecord }) {
  const written = `${job.rows.toLocaleString()}${job.validFile ? ' (train + validation)' : ''}`;
  if (job.trainRows) return <span data-testid="ft-rows-fact">{`${written} · ${job.trainRows.toLocaleString()} trained on`}</span>;
  const fromLog = trainRowsFromLog(job.logTail);
  if (fromLog !== null) {
    return (
      <span data-testid="ft-rows-fact">
        {written} · {fromLog.toLocaleString()} trained on <span className="subtle">(from the trainer's start event in its log)</span>
      </span>
    );
  }
  return <span data-testid="ft-rows-fact">{`${written} (trained-on count not reported by the trainer)`}</span>;
}

export function JobDetail({ runId, job, stage, live, log, adapterNames }: { runId: number; job: FinetuneJobRecord | null; stage: StageSummary | null; live: StageLive | null; log: string[]; adapterNames: string[] }) {
  const stageLabel = stage ? `seed ${stage.seed ?? '—'} · ${stage.prefix}` : job ? `stage #${job.stageId}` : '';
  const training = !job && live && !live.ended;
  const losses = job?.losses ?? live?.losses ?? [];
  return (
    <div className="ft-detail" data-testid="finetune-detail">
      <div className="row ft-detail-head">
        <h2 className="mono">{job ? job.adapterName : `stage #${live?.stageId ?? stage?.id}`}</h2>
        <StatusBadge status={job ? job.status : training ? 'running' : (stage?.status ?? 'pending')} />
        <span className="subtle">{stageLabel}</span>
        <span className="spacer" />
        {job ? <DownloadRows jobId={job.id} /> : null}
        {job || stage ? (
          <a href={hrefFor('traces', { runId, params: { stage: job?.stageId ?? stage?.id } })} data-testid="ft-stage-traces">
            evaluation traces of this stage →
          </a>
        ) : null}
      </div>

      {training && live?.finetune ? (
        <div className="ft-live" data-testid="ft-live">
          <div className={`progress ${live.finetune.steps ? '' : 'indeterminate'}`}>
            <span style={{ width: live.finetune.steps ? `${Math.round((100 * live.finetune.step) / live.finetune.steps)}%` : undefined }} />
          </div>
          <span className="subtle mono">
            step {live.finetune.step}
            {live.finetune.steps ? `/${live.finetune.steps}` : ''} · epoch {live.finetune.epoch.toFixed(2)}
            {Number.isFinite(live.finetune.loss) ? ` · loss ${live.finetune.loss.toFixed(4)}` : ''}
            {live.finetune.tokensPerS ? ` · ${Math.round(live.finetune.tokensPerS)} tok/s` : ''}
            {live.finetune.etaS != null ? ` · ETA ${duration(live.finetune.etaS * 1000)}` : ''}
            {live.finetune.rows != null ? ` · ${live.finetune.rows} rows` : ''}
          </span>
        </div>
      ) : training ? (
        <p className="subtle">{live?.activity} (the job is recorded when the trainer finishes)</p>
      ) : null}

      {job?.error ? (
        <pre className="run-error" data-testid="ft-error">
          {job.error}
        </pre>
      ) : null}

      <div className="grid-2">
        <div className="panel">
          <h3>Job</h3>
          {job ? (
            <Facts
              rows={[
                ['finetuner', <span className="mono">{job.finetuner}</span>],
                ['base model', <span className="mono">{job.baseModel}</span>],
                ['adapter', <span className="mono">{job.adapterName}</span>],
                ['adapter path', job.adapterDir ? <code className="ft-path">{job.adapterDir}</code> : <span className="subtle">none (not trained)</span>],
                [
                  'adapter size',
                  job.adapterBytes !== null ? (
                    <span className="mono" data-testid="ft-adapter-size" title={`${job.adapterBytes.toLocaleString()} bytes`}>
                      {bytes(job.adapterBytes)}
                    </span>
                  ) : (
                    <span className="subtle">{job.adapterDir ? 'not recorded (job from an older version)' : 'none'}</span>
                  ),
                ],
                ['predictors', <span className="mono">{job.predictors.join(', ')}</span>],
                ['rows', <RowsFact job={job} />],
                ['skipped rows', job.skipped && Object.keys(job.skipped).length ? Object.entries(job.skipped).map(([k, n]) => `${k}: ${n}`).join(', ') : 'none'],
                ['train file', <code className="ft-path">{job.trainFile}</code>],
                ['valid file', job.validFile ? <code className="ft-path">{job.validFile}</code> : 'none'],
                ['provenance', <code className="ft-path">{job.provenanceFile ?? `${dirOf(job.trainFile)}provenance.jsonl`}</code>],
                ['duration', duration(job.seconds === null ? null : job.seconds * 1000)],
                ['recorded', when(job.createdAt)],
              ]}
            />
          ) : (
            <p className="subtle">Not recorded yet: the job's record is written when the trainer ends.</p>
          )}
        </div>
        <div className="panel">
          <h3>Hyperparameters</h3>
          {job ? (
            <Hyperparams runId={runId} job={job} />
          ) : (
            <p className="subtle">Shown once the job is recorded.</p>
          )}
        </div>
      </div>

      <section className="panel">
        <h3>Training loss</h3>
        <LossChart losses={losses} validLoss={!job ? live?.validLoss : null} />
      </section>

      <section className="panel">
        <h3>Trainer log</h3>
        <TrainerLog lines={log} stored={job ? job.logTail : undefined} error={job?.error ?? null} training={!!training} />
      </section>

      {job ? (
        <section className="panel">
          <h3>Training rows ({job.rows.toLocaleString()})</h3>
          <TrainingRows key={job.id} runId={runId} jobId={job.id} />
        </section>
      ) : stage ? (
        // Not recorded yet: the exact rows are listed once the job is; meanwhile the traces they come from.
        <section className="panel">
          <h3>Source traces (training rows are listed once the job is recorded)</h3>
          <TrainingSources runId={runId} stageId={stage.id} adapterNames={adapterNames} />
        </section>
      ) : null}
    </div>
  );
}
