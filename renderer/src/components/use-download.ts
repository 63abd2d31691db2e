// What every download button shares: a busy label while the work runs (a progress text if the
// work reports one), the error of the last try, and a `run` that clears the error first.
import { useCallback, useState } from 'react';
import { downloadText } from './download.ts';

export interface DownloadAction {
  /** The label to show while running ('' when idle). */
  busy: string | null;
  error: string | null;
  run(work: (progress: (label: string) => void) => Promise<void>, label?: string): Promise<void>;
}

export function useDownloadAction(): DownloadAction {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: (progress: (label: string) => void) => Promise<void>, label = 'Exporting…') => {
    setBusy(label);
    setError(null);
    try {
      await work(setBusy);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, run };
}

/** Saves a text file the API returned ({filename, mimeType, text}). */
export function saveTextFile(file: { filename: string; mimeType: string; text: string }): void {
  downloadText(file.filename, file.text, `${file.mimeType};charset=utf-8`);
}
