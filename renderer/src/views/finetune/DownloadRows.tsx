// Download a fine-tune job's rows as chat JSONL in the OpenAI fine-tuning format (what TRL,
// MLX-LM and hosted fine-tuning APIs take), its validation rows if any, and its provenance file.
import { getClient } from '../../api/client.ts';
import { ActionError } from '../../components/ActionError.tsx';
import { saveTextFile, useDownloadAction } from '../../components/use-download.ts';

export function DownloadRows({ jobId }: { jobId: number }) {
  const { busy, error, run } = useDownloadAction();
  const download = () =>
    run(async () => {
      const data = await getClient().getFinetuneData({ jobId });
      for (const file of data.files) saveTextFile(file);
    }, 'Downloading…');
  return (
    <span className="row" data-testid="ft-download">
      <button type="button" onClick={() => void download()} disabled={busy !== null} data-testid="ft-download-button" title="Download the job's training rows (chat JSONL, OpenAI fine-tuning format) and their provenance">
        {busy ?? 'Download rows (JSONL)'}
      </button>
      <ActionError error={error} />
    </span>
  );
}
