// Downloads a file the API wrote into the workspace's exports folder (a run bundle, a PDF report):
// read back a piece at a time with readExportChunk, so a large file travels over IPC or HTTP alike.
import type { Prices } from '../../../core/contract/cost.ts';
import type { TandemApi } from '../api/types.ts';
import { downloadBytes, fromBase64 } from './download.ts';

export async function downloadExport(api: Pick<TandemApi, 'readExportChunk'>, file: { filename: string; bytes: number }, mimeType: string, onProgress?: (percent: number) => void): Promise<void> {
  const parts: Uint8Array[] = [];
  for (let offset = 0, done = false; !done; ) {
    onProgress?.(Math.round((100 * offset) / Math.max(1, file.bytes)));
    const chunk = await api.readExportChunk({ filename: file.filename, offset });
    const bytes = fromBase64(chunk.base64);
    parts.push(bytes);
    offset += bytes.length;
    done = chunk.done;
  }
  downloadBytes(file.filename, parts, mimeType);
}

/**
 * A PDF report: in the desktop app Electron prints the HTML report itself (main asks where to
 * save it); elsewhere the API prints it with headless Chromium and the page downloads it.
 */
export async function downloadReportPdf(
  api: Pick<TandemApi, 'readExportChunk' | 'exportReportPdf'>,
  request: { runIds: number[]; prices?: Record<string, Prices> },
  html: () => Promise<{ filename: string; text: string }>,
): Promise<void> {
  const savePdf = typeof window !== 'undefined' ? window.tandem?.savePdf : undefined;
  if (savePdf) {
    const report = await html();
    await savePdf(report.text, report.filename);
    return;
  }
  await downloadExport(api, await api.exportReportPdf(request), 'application/pdf');
}
