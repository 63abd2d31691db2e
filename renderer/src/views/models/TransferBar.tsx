// Byte progress of a pull or copy: the whole transfer and the current file, with speed and ETA.
import { bytes, duration } from '../../components/format.ts';
import type { Progress } from './pull-store.ts';

function ratio(done: number, total: number | null): number | null {
  return total && total > 0 ? Math.min(1, done / total) : null;
}

export function TransferBar({ progress }: { progress: Progress | null }) {
  if (!progress) return <div className="progress mdl-progress indeterminate" role="progressbar" aria-label="starting" />;
  const overall = ratio(progress.overallDone, progress.overallTotal);
  const file = ratio(progress.bytesDone, progress.bytesTotal);
  const left = progress.overallTotal - progress.overallDone;
  const eta = progress.speed > 0 && left > 0 ? (left / progress.speed) * 1000 : null;
  return (
    <div className="mdl-transfer">
      <div className="progress mdl-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={overall === null ? undefined : Math.round(overall * 100)} data-testid="models-progress-overall">
        <span style={{ width: `${(overall ?? 0) * 100}%` }} />
      </div>
      <div className="row subtle mdl-transfer-line">
        <span>
          {bytes(progress.overallDone)} / {bytes(progress.overallTotal)}
          {overall !== null ? ` (${(overall * 100).toFixed(1)}%)` : ''}
        </span>
        {progress.filesTotal !== undefined ? (
          <span>
            files {progress.filesDone ?? 0}/{progress.filesTotal}
          </span>
        ) : null}
        <span>{progress.speed > 0 ? `${bytes(progress.speed)}/s` : '—/s'}</span>
        <span>ETA {eta === null ? '—' : duration(eta)}</span>
      </div>
      <div className="row subtle mdl-transfer-line">
        <span className="mono mdl-file" title={progress.file}>
          {progress.file}
        </span>
        <div className="progress mdl-progress-file" aria-hidden="true">
          <span style={{ width: `${(file ?? 0) * 100}%` }} />
        </div>
        <span>
          {bytes(progress.bytesDone)} / {bytes(progress.bytesTotal)}
        </span>
      </div>
    </div>
  );
}
