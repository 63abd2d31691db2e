// Run bundles and training data through the API. exportRunBundle writes the bundle into the
// workspace's `exports/` folder and returns its name; readExportChunk hands any file there back a
// piece at a time as base64, so the workbench downloads a large bundle over IPC or HTTP alike
// without one huge JSON reply. importRunBundle reads a bundle file on the API's machine into the
// store (core/store/bundles.ts: verified whole before anything is written, one transaction).
// getFinetuneData returns a fine-tune job's rows as the chat JSONL it trained on.

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ExportChunkInput, ExportRunBundleInput, FinetuneJobIdInput, ImportRunBundleInput, Parsed } from '../contract/schemas.ts';
import type { ExportChunk, FinetuneDataFiles, ImportedRun, RunBundleFile } from '../contract/views/index.ts';
import type { BundleManifest } from '../store/bundles.ts';
import { tandemVersion } from '../util/package-root.ts';
import type { ApiContext } from './context.ts';
import { ApiError, notFound } from './errors.ts';

/** Bytes per readExportChunk piece (4 MiB; about 5.6 MB of base64). */
export const EXPORT_CHUNK_BYTES = 4 << 20;

function workspaceDir(ctx: ApiContext): string {
  if (ctx.store.file === ':memory:') throw new ApiError('config', 'an in-memory workspace has no folder for exports and imports');
  return path.dirname(path.resolve(ctx.store.file));
}

export function exportsDir(ctx: ApiContext): string {
  return path.join(workspaceDir(ctx), 'exports');
}

function counts(manifest: BundleManifest): Record<string, number> {
  return Object.fromEntries(Object.entries(manifest.tables).map(([name, t]) => [name, t.count]));
}

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}

export async function exportRunBundle(ctx: ApiContext, input: Parsed<typeof ExportRunBundleInput>): Promise<RunBundleFile> {
  const now = Date.now();
  const filename = `run-${input.runId}-${stamp(now)}.tandem`;
  const out = path.join(exportsDir(ctx), filename);
  const written = await ctx.store.bundles.export({ runId: input.runId, out, withAdapters: input.withAdapters, tandemVersion: tandemVersion(), now });
  return {
    runId: input.runId,
    filename,
    path: written.file,
    bytes: written.bytes,
    sha256: written.sha256,
    origin: written.origin,
    counts: counts(written.manifest),
    files: written.manifest.files.length,
  };
}

export function readExportChunk(ctx: ApiContext, input: Parsed<typeof ExportChunkInput>): ExportChunk {
  const file = path.join(exportsDir(ctx), input.filename);
  let total: number;
  try {
    total = statSync(file).size;
  } catch {
    throw notFound(`there is no file ${input.filename} in the exports folder`);
  }
  if (input.offset > total) throw new ApiError('invalid-input', `offset: ${input.offset} is past the end of ${input.filename} (${total} bytes)`);
  const size = Math.min(EXPORT_CHUNK_BYTES, total - input.offset);
  const buffer = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, size, input.offset);
  } finally {
    closeSync(fd);
  }
  return { filename: input.filename, offset: input.offset, total, base64: buffer.toString('base64'), done: input.offset + size >= total };
}

/**
 * Imports a bundle. The import holds one transaction open while it reads the file, so it is
 * refused while this API runs something that writes (a run) or imports another bundle.
 */
export async function importRunBundle(ctx: ApiContext, input: Parsed<typeof ImportRunBundleInput>, activeRuns: number[]): Promise<ImportedRun> {
  if (activeRuns.length > 0) throw new ApiError('conflict', `run ${activeRuns.join(', ')} is running in this workspace: import the bundle once it has ended`);
  const file = path.resolve(input.path);
  const result = await ctx.store.bundles.import({ file, filesDir: path.join(workspaceDir(ctx), 'imported'), now: Date.now() });
  return {
    runId: result.runId,
    experimentId: result.experimentId,
    imported: result.imported,
    sourceRunId: result.manifest.run.id,
    origin: result.origin,
    counts: counts(result.manifest),
  };
}

export function getFinetuneData(ctx: ApiContext, input: Parsed<typeof FinetuneJobIdInput>): FinetuneDataFiles {
  const job = ctx.store.finetuneJobs.get(input.jobId);
  if (!job) throw notFound(`fine-tune job ${input.jobId} does not exist`);
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`the ${what} of fine-tune job ${job.id} is gone: ${file} does not exist`);
      throw new ApiError('internal', `cannot read the ${what} of fine-tune job ${job.id} (${file}): ${(error as Error).message}`, { cause: error });
    }
  };
  const base = `run-${job.runId}-job-${job.id}`;
  const jsonl = 'application/jsonl';
  const files = [{ filename: `${base}-train.jsonl`, mimeType: jsonl, text: read(job.trainFile, 'training data') }];
  if (job.validFile) files.push({ filename: `${base}-valid.jsonl`, mimeType: jsonl, text: read(job.validFile, 'validation data') });
  const provenance = job.provenanceFile ?? path.join(path.dirname(job.trainFile), 'provenance.jsonl');
  files.push({ filename: `${base}-provenance.jsonl`, mimeType: jsonl, text: read(provenance, 'provenance file') });
  return { jobId: job.id, runId: job.runId, rows: job.rows, files };
}
