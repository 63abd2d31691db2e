// HostedFinetuner against a local fake of the OpenAI fine-tuning API (real HTTP on loopback).
// Waits go through an injected sleep that records the delays asked for, so backoff is checked
// without timing anything.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FinetuneError, PAPER_HYPERPARAMS, type FinetuneEvent, type FinetuneJob } from '../../../core/finetune/finetuner.ts';
import { HOSTED_MODEL_FILE, HostedFinetuner, type HostedFinetunerOptions } from '../../../core/finetune/hosted-finetuner.ts';
import { startFakeFinetuneApi, type FakeFinetuneApi } from '../../fixtures/fake-finetune-api.ts';

const KEY = 'sk-test-secret-key-123';
let dir: string;
let api: FakeFinetuneApi;
let delays: number[];

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-hosted-'));
  api = await startFakeFinetuneApi();
  delays = [];
});
afterEach(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = [
  { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] },
  { messages: [{ role: 'user', content: 'c' }, { role: 'assistant', content: 'd' }] },
];

function job(withValid = false): FinetuneJob {
  const trainFile = path.join(dir, 'train.jsonl');
  writeFileSync(trainFile, ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  let validFile: string | null = null;
  if (withValid) {
    validFile = path.join(dir, 'valid.jsonl');
    writeFileSync(validFile, JSON.stringify(ROWS[0]) + '\n');
  }
  return {
    base: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: api.baseUrl },
    trainFile,
    validFile,
    outDir: path.join(dir, 'adapter'),
    adapterName: 'tandem-r1-s3',
    hyperparams: { ...PAPER_HYPERPARAMS, epochs: 3, batchSize: 4, gradientAccumulation: 2, seed: 7 },
  };
}

function finetuner(options: Partial<HostedFinetunerOptions> = {}): HostedFinetuner {
  return new HostedFinetuner({
    baseUrl: api.baseUrl,
    apiKey: KEY,
    pollBaseMs: 1000,
    pollMaxMs: 4000,
    retryBaseMs: 100,
    retryMaxMs: 1000,
    random: () => 1 - Number.EPSILON, // the ceiling of each jittered backoff
    sleep: async (ms) => void delays.push(ms),
    ...options,
  });
}

describe('HostedFinetuner', () => {
  it('uploads the JSONL rows, creates the job on the base model with mapped hyperparameters, polls with backoff and returns the fine-tuned model', async () => {
    api.settings.pollsToEnd = 4;
    const events: FinetuneEvent[] = [];
    const result = await finetuner().finetune(job(true), { onEvent: (e) => events.push(e) });

    expect(api.files.map((f) => [f.purpose, f.filename])).toEqual([['fine-tune', 'train.jsonl'], ['fine-tune', 'valid.jsonl']]);
    expect(api.files[0]!.content.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(ROWS);
    expect(api.jobs).toHaveLength(1);
    expect(api.jobs[0]!.request).toEqual({
      model: 'gpt-4o-mini',
      training_file: 'file-1',
      validation_file: 'file-2',
      hyperparameters: { n_epochs: 3, batch_size: 8 },
      suffix: 'tandem-r1-s3',
      seed: 7,
    });
    // Exponential backoff between polls, capped: 1 s, 2 s, 4 s, 4 s.
    expect(delays.map((d) => Math.round(d / 100) * 100)).toEqual([1000, 2000, 4000, 4000]);
    expect(api.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);

    expect(result.binding).toEqual({ provider: 'openai', model: 'ft:gpt-4o-mini:tandem-fake::ftjob-1', baseUrl: api.baseUrl, baseModel: 'gpt-4o-mini' });
    expect(result.trainRows).toBe(2);
    expect(events[0]).toMatchObject({ type: 'log', line: expect.stringMatching(/uploaded train\.jsonl \(2 rows\) as file-1/) });
    expect(events.some((e) => e.type === 'start')).toBe(true);
    const lines = events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
    expect(lines).toContain('job ftjob-1: running');
    // The job's events, each once, oldest first: messages as lines, metrics as steps with loss.
    expect(lines.filter((l) => l === 'Fine-tuning job started')).toHaveLength(1);
    expect(lines.indexOf('Created fine-tuning job: ftjob-1')).toBeLessThan(lines.indexOf('Fine-tuning job started'));
    expect(events.filter((e) => e.type === 'step').map((e) => (e as { step: number }).step)).toEqual([1, 2, 3]);
    expect(result.losses).toEqual([{ step: 1, loss: 1 }, { step: 2, loss: 0.5 }, { step: 3, loss: 1 / 3 }]);
    // Kept for a resumed run: attach binds to the same model without training.
    expect(JSON.parse(readFileSync(path.join(result.adapterDir, HOSTED_MODEL_FILE), 'utf8'))).toMatchObject({ model: 'ft:gpt-4o-mini:tandem-fake::ftjob-1', job: 'ftjob-1' });
    const attached = await finetuner().attach('tandem-r1-s3', result.adapterDir, job().base);
    expect(attached.model).toBe('ft:gpt-4o-mini:tandem-fake::ftjob-1');
  });

  it('fine-tunes the configured base model when the API names it differently', async () => {
    await finetuner({ baseModel: 'gpt-4o-mini-2024-07-18' }).finetune(job());
    expect(api.jobs[0]!.request.model).toBe('gpt-4o-mini-2024-07-18');
  });

  it('retries 429 and 503 answers, waiting at least the Retry-After', async () => {
    api.settings.faults.push({ status: 429, retryAfter: '3' }, { status: 503 });
    const result = await finetuner().finetune(job());
    expect(result.binding.model).toMatch(/^ft:/);
    // The upload's two retries come first: Retry-After 3 s over a 100 ms backoff, then 200 ms.
    expect(delays.slice(0, 2).map((d) => Math.round(d))).toEqual([3000, 200]);
    expect(api.files).toHaveLength(1);
  });

  it('gives up after maxRetries with the last status', async () => {
    api.settings.faults.push({ status: 503, message: 'overloaded' }, { status: 503, message: 'overloaded' });
    const error = await finetuner({ maxRetries: 1 }).finetune(job()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinetuneError);
    expect((error as Error).message).toBe('uploading train.jsonl failed after 2 attempts: HTTP 503: overloaded');
  });

  it('a failed job is a FinetuneError with the server message, one line, the key scrubbed', async () => {
    api.settings.failJobs = `training file has 2 rows;\nthe minimum is 10 (key ${KEY})`;
    const error = await finetuner().finetune(job()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinetuneError);
    expect((error as Error).message).toBe('fine-tuning job ftjob-1 failed: training file has 2 rows; the minimum is 10 (key ***)');
    expect((error as FinetuneError).log.join('\n')).toMatch(/job ftjob-1 on gpt-4o-mini/);
  });

  it('an HTTP 4xx is one line with the server message and no headers', async () => {
    api.settings.faults.push({ status: 401, message: `Incorrect API key provided: ${KEY}` });
    const error = await finetuner().finetune(job()).catch((e: unknown) => e);
    expect((error as Error).message).toBe('uploading train.jsonl failed (HTTP 401: Incorrect API key provided: ***)');
    expect((error as Error).message).not.toMatch(/authorization|bearer/i);
  });

  it('cancellation cancels the remote job', async () => {
    const controller = new AbortController();
    api.settings.pollsToEnd = 100;
    const cancelling = finetuner({
      sleep: async (ms, signal) => {
        delays.push(ms);
        if (delays.length === 3) controller.abort();
        if (signal?.aborted) throw new FinetuneError('fine-tuning was cancelled');
      },
    }).finetune(job(), { signal: controller.signal });
    const error = await cancelling.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinetuneError);
    expect((error as Error).message).toBe('fine-tuning was cancelled (job ftjob-1 cancelled on the server)');
    expect(api.cancels).toEqual(['ftjob-1']);
    expect(api.jobs[0]!.status).toBe('cancelled');
  });

  it('refuses a model served at another base URL (the key stays with its own server)', async () => {
    const other = { ...job(), base: { provider: 'openai' as const, model: 'm', baseUrl: 'http://127.0.0.1:1/v1' } };
    await expect(finetuner().finetune(other)).rejects.toThrow(/served at http:\/\/127\.0\.0\.1:1\/v1, but the fine-tuning API is at/);
    expect(api.requests).toHaveLength(0);
  });
});
