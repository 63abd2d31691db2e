// The exact rows a fine-tune job trained on, a page at a time: each chat row of train.jsonl /
// valid.jsonl with the trace, example and predictor it came from (the job's provenance.jsonl,
// written beside train.jsonl by the `w` step). The files live in the workspace's finetune folder,
// not in the database; when they are gone the call says so instead of returning nothing.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FinetuneRowsInput, Parsed } from '../contract/schemas.ts';
import type { ChatMessage, FinetuneJobRecord, FinetuneRow, FinetuneRowPage } from '../contract/views/index.ts';
import type { ApiContext } from './context.ts';
import { ApiError, notFound } from './errors.ts';

interface ProvenanceLine {
  file?: unknown;
  row?: unknown;
  traceId?: unknown;
  exampleId?: unknown;
  predictor?: unknown;
}

export function listFinetuneRows(ctx: ApiContext, input: Parsed<typeof FinetuneRowsInput>): FinetuneRowPage {
  const job = ctx.store.finetuneJobs.get(input.jobId);
  if (!job) throw notFound(`fine-tune job ${input.jobId} does not exist`);
  const provenanceFile = job.provenanceFile ?? path.join(path.dirname(job.trainFile), 'provenance.jsonl');
  const lines = readLines(job, provenanceFile, 'provenance file');
  const page = lines.slice(input.offset, input.offset + input.limit);
  const dataFiles = new Map<string, string[]>();
  const dataLines = (file: string) => {
    let cached = dataFiles.get(file);
    if (!cached) dataFiles.set(file, (cached = readLines(job, file, 'training data')));
    return cached;
  };
  const rows = page.map((line, i): FinetuneRow => {
    const index = input.offset + i;
    const where = `line ${index + 1} of ${provenanceFile}`;
    const source = parseJson<ProvenanceLine>(line, where);
    if (typeof source.file !== 'string' || typeof source.row !== 'number' || typeof source.predictor !== 'string') {
      throw new ApiError('internal', `${where} is not a provenance row (file, row, predictor): ${line.slice(0, 200)}`);
    }
    const file = path.resolve(path.dirname(provenanceFile), source.file);
    const data = dataLines(file)[source.row];
    if (data === undefined) throw new ApiError('internal', `${where} points at row ${source.row} of ${file}, which has ${dataLines(file).length} rows`);
    const messages = parseJson<{ messages?: ChatMessage[] }>(data, `row ${source.row} of ${file}`).messages ?? [];
    return {
      index,
      split: job.validFile !== null && file === path.resolve(job.validFile) ? 'valid' : 'train',
      row: source.row,
      traceId: typeof source.traceId === 'number' ? source.traceId : null,
      exampleId: typeof source.exampleId === 'string' ? source.exampleId : null,
      predictor: source.predictor,
      messages,
    };
  });
  return { jobId: job.id, runId: job.runId, total: lines.length, offset: input.offset, limit: input.limit, provenanceFile, rows };
}

/** The non-empty lines of a file, or a not-found error that says which file of which job is gone. */
function readLines(job: FinetuneJobRecord, file: string, what: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw notFound(`the ${what} of fine-tune job ${job.id} is gone: ${file} does not exist (the workspace's finetune folder was moved or cleaned up)`);
    }
    throw new ApiError('internal', `cannot read the ${what} of fine-tune job ${job.id} (${file}): ${(error as Error).message}`, { cause: error });
  }
  return text.split('\n').filter((line) => line.trim() !== '');
}

function parseJson<T>(line: string, where: string): T {
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new ApiError('internal', `${where} is not JSON: ${line.slice(0, 200)}`);
  }
}
