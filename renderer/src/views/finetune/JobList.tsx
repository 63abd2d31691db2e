// The run's fine-tune jobs as a compact table: stage with the modules (predictors) it trained,
// status, rows, final loss, time.
import type { FinetuneJobRecord, StageSummary } from '../../api/types.ts';
import { useRouter } from '../../app/router.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { duration } from '../../components/format.ts';
import type { RunLive } from '../run/live-store.ts';

export interface ListEntry {
  key: string;
  job: FinetuneJobRecord | null;
  stage: StageSummary | null;
  stageId: number;
}

export function JobList({ entries, selectedKey, hrefOf, live }: { entries: ListEntry[]; selectedKey: string | null; hrefOf: (e: ListEntry) => string; live: RunLive | null }) {
  const navigate = useRouter((s) => s.navigate);
  return (
    <div className="panel ft-list">
      <table className="data" data-testid="finetune-jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th title="the stage, and under it the program's modules (predictor paths) whose calls became the job's training rows">Stage · modules</th>
            <th>Status</th>
            <th className="num">rows</th>
            <th className="num">loss</th>
            <th className="num">time</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const l = live?.stages.get(e.stageId);
            const losses = e.job?.losses ?? l?.losses ?? [];
            const last = losses[losses.length - 1];
            const status = e.job?.status ?? (l && !l.ended ? 'running' : (e.stage?.status ?? 'pending'));
            return (
              <tr
                key={e.key}
                className={`clickable ${e.key === selectedKey ? 'selected' : ''}`}
                onClick={() => navigate(hrefOf(e))}
                data-testid={e.job ? `finetune-job-${e.job.id}` : `finetune-stage-${e.stageId}`}
                aria-selected={e.key === selectedKey}
              >
                <td>
                  <a href={hrefOf(e)} onClick={(ev) => ev.stopPropagation()}>
                    {e.job ? `#${e.job.id}` : 'live'}
                  </a>
                </td>
                <td className="mono">
                  {e.stage ? (
                    <>
                      <span className="subtle">seed {e.stage.seed ?? '—'}</span> {e.stage.prefix}
                    </>
                  ) : (
                    `#${e.stageId}`
                  )}
                  {e.job ? (
                    <div className="ft-modules" data-testid="finetune-job-modules">
                      {/* One unbroken path each; the line wraps between them. */}
                      {e.job.predictors.map((p, i, all) => (
                        <span key={p} className="ft-module">
                          {p}
                          {i < all.length - 1 ? ', ' : ''}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={status} />
                </td>
                <td className="num">{e.job ? e.job.rows : (l?.finetune?.rows ?? '')}</td>
                <td className="num">{last && Number.isFinite(last.loss) ? last.loss.toFixed(3) : '—'}</td>
                <td className="num">{e.job?.seconds != null ? duration(e.job.seconds * 1000) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
