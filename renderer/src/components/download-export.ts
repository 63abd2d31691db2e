// Downloads a file the API wrote into the workspace's exports folder (a run bundle, a PDF report):
// read back a piece at a time with readExportChunk, so a large file travels over IPC or HTTP alike.
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
