// Copies the files a checkpoint needs into a new folder, reporting bytes as they go.

import { createReadStream, createWriteStream, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransferProgress } from '../contract/models.ts';

export type { TransferProgress };

/** Weight formats Tandem does not read: left behind by a copy so it does not double the disk use. */
const FOREIGN_WEIGHTS = /\.(bin|pt|pth|gguf|ggml|onnx|h5|msgpack|ckpt|safetensors)$/;

/**
 * The top-level files of a checkpoint worth copying: every non-hidden file except weights that
 * are not among `weightFiles` (other formats, or safetensors an index does not reference).
 */
export function checkpointFilesToCopy(dir: string, weightFiles: string[]): string[] {
  const wanted = new Set(weightFiles);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && (wanted.has(e.name) || !FOREIGN_WEIGHTS.test(e.name)))
    .map((e) => e.name)
    .sort();
}

export async function copyFilesWithProgress(
  fromDir: string,
  toDir: string,
  files: string[],
  options: { onProgress?: (p: TransferProgress) => void; signal?: AbortSignal } = {},
): Promise<number> {
  const sizes = files.map((f) => statSync(path.join(fromDir, f)).size);
  const overallTotal = sizes.reduce((a, b) => a + b, 0);
  const started = Date.now();
  let overallDone = 0;
  mkdirSync(toDir, { recursive: true });
  for (const [i, file] of files.entries()) {
    const bytesTotal = sizes[i] ?? 0;
    let bytesDone = 0;
    const report = () =>
      options.onProgress?.({ file, bytesDone, bytesTotal, overallDone, overallTotal, speed: overallDone / Math.max(0.001, (Date.now() - started) / 1000) });
    report();
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytesDone += chunk.length;
        overallDone += chunk.length;
        report();
        done(null, chunk);
      },
    });
    await pipeline(createReadStream(path.join(fromDir, file)), counter, createWriteStream(path.join(toDir, file)), options.signal ? { signal: options.signal } : {});
  }
  return overallDone;
}
