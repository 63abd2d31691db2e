// A finished stage's program as DSPy's saved-program JSON (`dspy.Module.load()` reads it): its
// signatures' instructions and field descriptions and its demos, per predictor path.
import { useState } from 'react';
import { getClient } from '../../api/client.ts';
import { downloadText } from '../../components/download.ts';

export function ExportDspy({ stageId }: { stageId: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const file = await getClient().exportDspyProgram({ stageId });
      downloadText(file.filename, file.text, `${file.mimeType};charset=utf-8`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="ghost subtle stage-dspy"
      onClick={(e) => {
        e.stopPropagation();
        void run();
      }}
      disabled={busy}
      data-testid={`stage-dspy-${stageId}`}
      title={error ?? "Download this stage's program as DSPy JSON (load it with dspy.Module.load)"}
    >
      {busy ? '…' : error ? 'DSPy JSON ⚠' : 'DSPy JSON'}
    </button>
  );
}
