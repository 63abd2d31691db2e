// Fine-tunes through an OpenAI-compatible fine-tuning API on the run's own LM server: the chat
// JSONL is uploaded (POST /files, purpose "fine-tune"), a job is created on the base model
// (POST /fine_tuning/jobs), polled with jittered exponential backoff (GET /fine_tuning/jobs/{id})
// until it ends, its events passed on as progress after each poll (messages as log lines, metrics
// as loss steps; GET /fine_tuning/jobs/{id}/events, optional), and the model it produces (`fine_tuned_model`, e.g. "ft:gpt-4o-mini:org::abc")
// is what the fine-tuned modules are bound to: a model name on the same server, as an adapter is.
//
// Hyperparameters: `epochs` → n_epochs, `batchSize × gradientAccumulation` (the effective batch)
// → batch_size, `seed` → seed. Tandem's learning rate is an absolute LoRA rate; the API takes only
// a multiplier of a rate it chooses itself, so no learning_rate_multiplier is sent (the server's
// default applies). Rank, alpha, dropout, target modules and sequence length have no equivalent.
//
// The key is the run's LM key, already vetted for this base URL (key-origins.ts); it is sent only
// there, and a model to train that is served elsewhere is refused. Requests time out and retry on
// 429, 5xx and network errors (Retry-After honored); failures are one line with the server's own
// message, without headers and with the key scrubbed. Cancelling (the signal) cancels the remote
// job. The model id is kept in `hosted-model.json` in the job's output folder, so a resumed run
// binds to it again without training anew.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LMBinding } from '../lm/lm-binding.ts';
import { backoffDelay, parseRetryAfter } from '../util/backoff.ts';
import { abortableSleep } from '../util/limiter.ts';
import type { FinetuneEvent, FinetuneJob, FinetuneResult, Finetuner } from './finetuner.ts';
import { FinetuneError } from './finetuner.ts';

export const HOSTED_MODEL_FILE = 'hosted-model.json';

export interface HostedFinetunerOptions {
  /** The OpenAI-compatible API's base URL (the run's LM base URL, e.g. https://api.openai.com/v1). */
  baseUrl: string;
  /** Sent as a Bearer token; the run's LM key, vetted for `baseUrl`. */
  apiKey?: string | undefined;
  /** The model to fine-tune as the API names it; default the model the job trains from. */
  baseModel?: string | undefined;
  /** Per-request timeout (default 60 s; uploads get four times as long). */
  timeoutMs?: number;
  /** Retries of one request on 429, 5xx, timeouts and network errors (default 5). */
  maxRetries?: number;
  /** Backoff between retries of one request (default 1 s doubling to 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** The longest Retry-After honored (default 120 s). */
  retryAfterMaxMs?: number;
  /** Polling the job: the first wait and the longest (default 2 s doubling to 60 s). */
  pollBaseMs?: number;
  pollMaxMs?: number;
  /** For tests: how waits happen, and the jitter's randomness. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** A fine-tuning job as the API reports it (the fields Tandem reads). */
interface RemoteJob {
  id: string;
  status: string;
  fine_tuned_model?: string | null;
  error?: { message?: string | null; code?: string | null } | null;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

export class HostedFinetuner implements Finetuner {
  readonly name = 'hosted';
  private readonly base: string;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HostedFinetunerOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.sleep = options.sleep ?? ((ms, signal) => abortableSleep(ms, signal, () => new FinetuneError('fine-tuning was cancelled')));
    this.random = options.random ?? Math.random;
  }

  async attach(adapterName: string, adapterDir: string, base: LMBinding): Promise<LMBinding> {
    let model: unknown;
    try {
      model = (JSON.parse(readFileSync(path.join(adapterDir, HOSTED_MODEL_FILE), 'utf8')) as { model?: unknown }).model;
    } catch (error) {
      throw new FinetuneError(`cannot read the hosted model of "${adapterName}" from ${adapterDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof model !== 'string' || model === '') throw new FinetuneError(`${path.join(adapterDir, HOSTED_MODEL_FILE)} names no model`);
    return { ...base, model, baseModel: base.baseModel ?? base.model };
  }

  async finetune(job: FinetuneJob, { onEvent, signal }: { onEvent?: (e: FinetuneEvent) => void; signal?: AbortSignal } = {}): Promise<FinetuneResult> {
    const started = Date.now();
    if (job.base.baseUrl && job.base.baseUrl.replace(/\/+$/, '') !== this.base) {
      throw new FinetuneError(`the model to fine-tune is served at ${job.base.baseUrl}, but the fine-tuning API is at ${this.base}`);
    }
    const log: string[] = [];
    const say = (line: string) => {
      log.push(line);
      onEvent?.({ type: 'log', line });
    };
    const trainText = readFileSync(job.trainFile, 'utf8');
    const rows = trainText.split('\n').filter((line) => line.trim() !== '').length;
    const trainingFile = await this.upload(job.trainFile, trainText, signal);
    say(`uploaded ${path.basename(job.trainFile)} (${rows} rows) as ${trainingFile}`);
    let validationFile: string | null = null;
    if (job.validFile) {
      validationFile = await this.upload(job.validFile, readFileSync(job.validFile, 'utf8'), signal);
      say(`uploaded ${path.basename(job.validFile)} as ${validationFile}`);
    }
    const h = job.hyperparams;
    const model = this.options.baseModel ?? job.base.model;
    const created = asJob(
      await this.request('POST', '/fine_tuning/jobs', 'creating the fine-tuning job', signal, {
        json: {
          model,
          training_file: trainingFile,
          ...(validationFile ? { validation_file: validationFile } : {}),
          hyperparameters: { n_epochs: h.epochs, batch_size: h.batchSize * h.gradientAccumulation },
          suffix: job.adapterName.slice(0, 64),
          seed: h.seed,
        },
      }),
      'creating the fine-tuning job',
    );
    onEvent?.({ type: 'start', rows, steps: null });
    say(`job ${created.id} on ${model}: ${created.status}`);
    const losses: FinetuneResult['losses'] = [];
    const progress = (event: FinetuneEvent) => {
      if (event.type === 'step') losses.push({ step: event.step, loss: event.loss });
      if (event.type === 'log') say(event.line);
      else onEvent?.(event);
    };
    const finished = await this.poll(created, say, progress, signal);
    if (finished.status === 'failed') {
      const why = finished.error?.message ? `: ${this.clean(finished.error.message)}` : '';
      throw new FinetuneError(`fine-tuning job ${finished.id} failed${why}`, log);
    }
    if (finished.status === 'cancelled') throw new FinetuneError(`fine-tuning job ${finished.id} was cancelled on the server`, log);
    const tuned = finished.fine_tuned_model;
    if (typeof tuned !== 'string' || tuned === '') throw new FinetuneError(`fine-tuning job ${finished.id} succeeded but names no fine_tuned_model`, log);
    mkdirSync(job.outDir, { recursive: true });
    writeFileSync(
      path.join(job.outDir, HOSTED_MODEL_FILE),
      `${JSON.stringify({ model: tuned, job: finished.id, baseModel: model, trainingFile, validationFile, baseUrl: this.base }, null, 2)}\n`,
    );
    say(`job ${finished.id} succeeded: ${tuned}`);
    return {
      adapterDir: job.outDir,
      binding: { ...job.base, model: tuned, baseModel: job.base.baseModel ?? job.base.model },
      trainRows: rows,
      skipped: {},
      seconds: (Date.now() - started) / 1000,
      losses,
      log,
    };
  }

  /**
   * Polls until the job ends, passing on the job's new events after each poll; on cancellation
   * cancels the remote job and throws.
   */
  private async poll(job: RemoteJob, say: (line: string) => void, progress: (event: FinetuneEvent) => void, signal: AbortSignal | undefined): Promise<RemoteJob> {
    let current = job;
    const seen = new Set<string>();
    for (let poll = 1; !TERMINAL.has(current.status); poll++) {
      try {
        await this.sleep(backoffDelay(poll, this.options.pollBaseMs ?? 2000, this.options.pollMaxMs ?? 60_000, this.random), signal);
        const next = asJob(await this.request('GET', `/fine_tuning/jobs/${encodeURIComponent(current.id)}`, 'polling the fine-tuning job', signal), 'polling the fine-tuning job');
        if (next.status !== current.status) say(`job ${next.id}: ${next.status}`);
        current = next;
        await this.events(current.id, seen, progress, signal);
      } catch (error) {
        if (!signal?.aborted) throw error;
        await this.cancelRemote(current.id);
        throw new FinetuneError(`fine-tuning was cancelled (job ${current.id} cancelled on the server)`);
      }
    }
    return current;
  }

  /**
   * The job's events not seen yet, oldest first: messages as log lines, metrics as steps (train
   * loss) and evaluations (valid loss). Events are optional: a server without them, or one that
   * fails to list them, only costs the progress lines.
   */
  private async events(id: string, seen: Set<string>, progress: (event: FinetuneEvent) => void, signal: AbortSignal | undefined): Promise<void> {
    let body: unknown;
    try {
      body = await this.request('GET', `/fine_tuning/jobs/${encodeURIComponent(id)}/events?limit=100`, 'listing the job events', signal, { retries: 0 });
    } catch (error) {
      if (signal?.aborted) throw error;
      return;
    }
    const data = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) return;
    for (const raw of [...data].reverse()) {
      const event = raw as { id?: unknown; message?: unknown; type?: unknown; data?: unknown } | null;
      if (!event || typeof event.id !== 'string' || seen.has(event.id)) continue;
      seen.add(event.id);
      const metrics = (event.data ?? {}) as { step?: unknown; train_loss?: unknown; valid_loss?: unknown };
      if (event.type === 'metrics' && typeof metrics.step === 'number' && typeof metrics.train_loss === 'number') {
        progress({ type: 'step', step: metrics.step, epoch: 0, loss: metrics.train_loss, tokensPerS: null, etaS: null });
        if (typeof metrics.valid_loss === 'number') progress({ type: 'eval', validLoss: metrics.valid_loss });
      } else if (typeof event.message === 'string' && event.message !== '') progress({ type: 'log', line: this.clean(event.message) });
    }
  }

  private async cancelRemote(id: string): Promise<void> {
    try {
      await this.request('POST', `/fine_tuning/jobs/${encodeURIComponent(id)}/cancel`, 'cancelling the fine-tuning job', undefined, { retries: 1 });
    } catch {
      // The run is cancelled either way; a job the server would not cancel ends on its own.
    }
  }

  private async upload(file: string, text: string, signal: AbortSignal | undefined): Promise<string> {
    const what = `uploading ${path.basename(file)}`;
    const body = await this.request('POST', '/files', what, signal, {
      form: () => {
        const form = new FormData();
        form.append('purpose', 'fine-tune');
        form.append('file', new Blob([text], { type: 'application/jsonl' }), path.basename(file));
        return form;
      },
      timeoutMs: 4 * (this.options.timeoutMs ?? 60_000),
    });
    const id = (body as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') throw new FinetuneError(`${what}: the server's answer has no file id`);
    return id;
  }

  /** One API call with timeout and retries; the parsed JSON body, or a FinetuneError. */
  private async request(
    method: 'GET' | 'POST',
    route: string,
    what: string,
    signal: AbortSignal | undefined,
    extra: { json?: unknown; form?: () => FormData; timeoutMs?: number; retries?: number } = {},
  ): Promise<unknown> {
    const retries = extra.retries ?? this.options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new FinetuneError('fine-tuning was cancelled');
      try {
        return await this.attempt(method, route, what, signal, extra);
      } catch (error) {
        if (!(error instanceof RetryableError) || attempt >= retries || signal?.aborted) {
          if (error instanceof RetryableError) throw new FinetuneError(`${what} failed after ${attempt + 1} attempts: ${error.message}`);
          throw error;
        }
        const backoff = backoffDelay(attempt + 1, this.options.retryBaseMs ?? 1000, this.options.retryMaxMs ?? 30_000, this.random);
        const delay = error.retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(error.retryAfterMs, this.options.retryAfterMaxMs ?? 120_000));
        await this.sleep(delay, signal);
      }
    }
  }

  private async attempt(
    method: 'GET' | 'POST',
    route: string,
    what: string,
    signal: AbortSignal | undefined,
    extra: { json?: unknown; form?: () => FormData; timeoutMs?: number },
  ): Promise<unknown> {
    const timeoutMs = extra.timeoutMs ?? this.options.timeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = {};
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let body: string | FormData | undefined;
    if (extra.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(extra.json);
    } else if (extra.form) body = extra.form();
    let response: Response;
    try {
      response = await fetch(`${this.base}${route}`, { method, headers, ...(body !== undefined ? { body } : {}), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (signal?.aborted) throw new FinetuneError('fine-tuning was cancelled');
      if (timeout.aborted) throw new RetryableError(`no answer from ${this.base} in ${Math.round(timeoutMs / 1000)} s`, undefined);
      throw new RetryableError(`cannot reach ${this.base}: ${this.clean(causeOf(error))}`, undefined);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw new FinetuneError('fine-tuning was cancelled');
      throw new RetryableError(`the answer from ${this.base} broke off: ${this.clean(causeOf(error))}`, undefined);
    }
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const message = serverMessage(parsed) ?? text.replace(/\s+/g, ' ').trim();
      const detail = `HTTP ${response.status}${message ? `: ${this.clean(message)}` : ''}`;
      if (response.status === 429 || response.status >= 500) throw new RetryableError(detail, parseRetryAfter(response.headers.get('retry-after')));
      throw new FinetuneError(`${what} failed (${detail})`);
    }
    if (parsed === undefined) throw new FinetuneError(`${what}: the answer from ${this.base} is not JSON`);
    return parsed;
  }

  /** A server's text made safe to show: one line, at most 300 characters, the key scrubbed. */
  private clean(text: string): string {
    let out = text.replace(/\s+/g, ' ').trim();
    if (this.options.apiKey) out = out.split(this.options.apiKey).join('***');
    return out.length > 300 ? `${out.slice(0, 299)}…` : out;
  }
}

function serverMessage(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

function asJob(body: unknown, what: string): RemoteJob {
  const job = body as Partial<RemoteJob> | null;
  if (!job || typeof job.id !== 'string' || typeof job.status !== 'string') throw new FinetuneError(`${what}: the server's answer is not a fine-tuning job`);
  return job as RemoteJob;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
