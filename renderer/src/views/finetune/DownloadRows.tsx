// Download a fine-tune job's rows as chat JSONL in the OpenAI fine-tuning format (what TRL,
// MLX-LM and hosted fine-tuning APIs take), its validation rows if any, and its provenance file.
import { useState } from 'react';
import { getClient } from '../../api/client.ts';
import { downloadText } from '../../components/download.ts';

export function DownloadRows({ jobId }: { jobId: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const data = await getClient().getFinetuneData({ jobId });
      for (const file of data.files) downloadText(file.filename, file.text, `${file.mimeType};charset=utf-8`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row" data-testid="ft-download">
      <button type="button" onClick={() => void run()} disabled={busy} data-testid="ft-download-button" title="Download the job's training rows (chat JSONL, OpenAI fine-tuning format) and their provenance">
        {busy ? 'Downloading…' : 'Download rows (JSONL)'}
      </button>
      {error ? (
        <span className="subtle" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
