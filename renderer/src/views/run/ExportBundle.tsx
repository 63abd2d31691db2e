// Export the whole run as one bundle file (`.tandem`: spec, stages, candidates, evaluations,
// traces, LM calls, fine-tune jobs and their data) for `tandem import` in another workspace. The
// API writes it into the workspace's exports folder; the page reads it back a piece at a time and
// saves it, so a large run downloads the same way over IPC or HTTP.
import { useState } from 'react';
import { getClient } from '../../api/client.ts';
import { downloadExport } from '../../components/download-export.ts';

export function ExportBundle({ runId, disabled }: { runId: number; disabled: boolean }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy('Writing…');
    setError(null);
    try {
      const api = getClient();
      const bundle = await api.exportRunBundle({ runId });
      await downloadExport(api, bundle, 'application/gzip', (percent) => setBusy(`Downloading ${percent}%`));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <span className="row" data-testid="run-bundle">
      <button
        type="button"
        onClick={() => void run()}
        disabled={disabled || busy !== null}
        data-testid="run-bundle-button"
        title={disabled ? 'A run can be exported once it has ended' : 'Download the whole run as one file, for `tandem import` in another workspace'}
      >
        {busy ?? 'Export run bundle'}
      </button>
      {error ? (
        <span className="subtle" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
