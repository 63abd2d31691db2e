// Export the whole run as one bundle file (`.tandem`: spec, stages, candidates, evaluations,
// traces, LM calls, fine-tune jobs and their data) for `tandem import` in another workspace. The
// API writes it into the workspace's exports folder; the page reads it back a piece at a time and
// saves it, so a large run downloads the same way over IPC or HTTP.
import { getClient } from '../../api/client.ts';
import { ActionError } from '../../components/ActionError.tsx';
import { downloadExport } from '../../components/download-export.ts';
import { useDownloadAction } from '../../components/use-download.ts';

export function ExportBundle({ runId, disabled }: { runId: number; disabled: boolean }) {
  const { busy, error, run } = useDownloadAction();
  const download = () =>
    run(async (progress) => {
      const api = getClient();
      const bundle = await api.exportRunBundle({ runId });
      await downloadExport(api, bundle, 'application/gzip', (percent) => progress(`Downloading ${percent}%`));
    }, 'Writing…');
  return (
    <span className="row" data-testid="run-bundle">
      <button
        type="button"
        onClick={() => void download()}
        disabled={disabled || busy !== null}
        data-testid="run-bundle-button"
        title={disabled ? 'A run can be exported once it has ended' : 'Download the whole run as one file, for `tandem import` in another workspace'}
      >
        {busy ?? 'Export run bundle'}
      </button>
      <ActionError error={error} />
    </span>
  );
}
