// A finished stage's program as DSPy's saved-program JSON (`dspy.Module.load()` reads it): its
// signatures' instructions and field descriptions and its demos, per predictor path.
import { getClient } from '../../api/client.ts';
import { saveTextFile, useDownloadAction } from '../../components/use-download.ts';

export function ExportDspy({ stageId }: { stageId: number }) {
  const { busy, error, run } = useDownloadAction();
  const download = () => run(async () => saveTextFile(await getClient().exportDspyProgram({ stageId })));
  return (
    <button
      type="button"
      className="ghost subtle stage-dspy"
      onClick={(e) => {
        e.stopPropagation();
        void download();
      }}
      disabled={busy !== null}
      data-testid={`stage-dspy-${stageId}`}
      title={error ?? "Download this stage's program as DSPy JSON (load it with dspy.Module.load)"}
    >
      {busy !== null ? '…' : error ? 'DSPy JSON ⚠' : 'DSPy JSON'}
    </button>
  );
}
