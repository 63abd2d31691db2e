// The determinism check: send a slice of a finished run's requests again, past the response cache,
// and count the completions that differ from the stored ones. On the local engine none should
// (seeded requests, batch-invariant decoding); on a remote server it shows whether the server
// honours `seed` and answers a request the same whatever else it is serving.

import type { Finetuner } from '../finetune/finetuner.ts';
import { Limiter } from '../lm/concurrency.ts';
import { createLanguageModel } from '../lm/create-language-model.ts';
import type { ChatRequest, LanguageModel } from '../lm/language-model.ts';
import type { ResolvedLMOptions } from '../lm/lm-config.ts';
import type { LMBinding } from '../lm/lm-binding.ts';
import { DEFAULT_MAX_CONCURRENCY } from '../lm/openai-compatible.ts';
import type { Store } from '../store/index.ts';
import { parallelMap } from '../util/parallel-map.ts';
import type { ExperimentSpec } from './experiment-spec.ts';

export const DEFAULT_CHECKED_CALLS = 20;

/**
 * A finished run on a remote server is checked on this many of its requests: whether the server
 * honours seeds cannot be known otherwise. The local engine's guarantee is tested instead.
 */
export const REMOTE_CHECKED_CALLS = 8;

/** How many requests to check after a run with this spec when nobody said. */
export function defaultCheckCalls(spec: Pick<ExperimentSpec, 'lm' | 'seededRequests'>): number {
  return spec.lm.provider === 'local' || !spec.seededRequests ? 0 : REMOTE_CHECKED_CALLS;
}

/** Checks a finished run and keeps the report in its summary (`summary.determinism`). */
export async function checkFinishedRun(runId: number, options: DeterminismCheckOptions): Promise<DeterminismReport> {
  const report = await checkDeterminism(runId, options);
  options.store.runs.annotateSummary(runId, 'determinism', report);
  return report;
}

export interface DeterminismDifference {
  callId: number;
  model: string;
  seed: number | null;
  stored: string;
  fresh: string;
}

export interface DeterminismReport {
  runId: number;
  /** Requests sent again. */
  checked: number;
  /** Of those, how many came back with another completion. */
  differing: number;
  /** Requests that failed when sent again (counted in neither). */
  failed: number;
  /** The first few differences, for showing. */
  examples: DeterminismDifference[];
}

export interface DeterminismCheckOptions {
  store: Store;
  runtime: { lm: ResolvedLMOptions; finetuner: Finetuner | undefined };
  /** How many requests to send again (spread over the run); default DEFAULT_CHECKED_CALLS. */
  calls?: number;
  /**
   * Serve the adapters the run trained before sending (default true). False where the runtime
   * already serves them, right after the run in the same process: registering an adapter name
   * twice is an error on vLLM.
   */
  attachAdapters?: boolean;
  signal?: AbortSignal;
}

export async function checkDeterminism(runId: number, options: DeterminismCheckOptions): Promise<DeterminismReport> {
  const { store, runtime } = options;
  const sample = store.lmCalls.requestSample(runId, options.calls ?? DEFAULT_CHECKED_CALLS);
  const { provider, model: baseModel, baseUrl, ...transport } = runtime.lm;
  const base: LMBinding = { provider, model: baseModel, baseUrl };
  if (runtime.finetuner && options.attachAdapters !== false) await attachTrainedAdapters(store, runId, runtime.finetuner, base);
  const concurrency = runtime.lm.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const limiter = new Limiter(concurrency);
  const models = new Map<string, LanguageModel>();
  const modelFor = (name: string) => {
    let lm = models.get(name);
    // Past the response cache: the point is to ask the server again.
    if (!lm) models.set(name, (lm = createLanguageModel({ provider, model: name, baseUrl }, { ...transport, limiter })));
    return lm;
  };
  const report: DeterminismReport = { runId, checked: 0, differing: 0, failed: 0, examples: [] };
  const answers = await parallelMap(sample, async (call) => {
    const { model, ...sampling } = call.request!;
    const request: ChatRequest = { messages: call.messages, ...sampling };
    try {
      const response = await modelFor(model).generate(request, options.signal ? { signal: options.signal } : {});
      return { call, text: response.text };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { call, text: null };
    }
  }, { concurrency, ...(options.signal ? { signal: options.signal } : {}) });
  for (const { call, text } of answers.filter((a) => a !== undefined)) {
    if (text === null) {
      report.failed++;
      continue;
    }
    report.checked++;
    if (text === call.completion) continue;
    report.differing++;
    if (report.examples.length < 5) {
      report.examples.push({ callId: call.id, model: call.request!.model, seed: call.request!.seed ?? null, stored: call.completion ?? '', fresh: text });
    }
  }
  return report;
}

/** Serves the adapters a run's `w` steps trained again (a resumed run, a determinism check). */
export async function attachTrainedAdapters(store: Store, runId: number, finetuner: Finetuner, base: LMBinding): Promise<void> {
  for (const job of store.finetuneJobs.listForRun(runId)) {
    if (job.status === 'finished' && job.adapterDir) await finetuner.attach(job.adapterName, job.adapterDir, { ...base });
  }
}

/** One line for a report's reader. */
export function describeDeterminism(report: DeterminismReport): string {
  const failed = report.failed ? `; ${report.failed} failed when sent again` : '';
  if (report.checked === 0) return `determinism: no stored request could be checked${failed}`;
  if (report.differing === 0) return `determinism: ${report.checked} of ${report.checked} requests sent again gave the same completion${failed}`;
  return (
    `determinism: ${report.differing} of ${report.checked} requests sent again gave another completion${failed}: ` +
    'the server does not reproduce seeded requests (it may ignore `seed`, or batch requests in a way that changes them), so results may not reproduce'
  );
}

/** Whether a run's numbers can be expected to come out the same on a rerun, and why. */
export function reproducibility(spec: Pick<ExperimentSpec, 'lm' | 'seededRequests'>, runId: number, check: DeterminismReport | null): string {
  if (!spec.seededRequests) return 'requests carried no seeds (the run began before requests were seeded): results may not reproduce';
  if (check) return describeDeterminism(check);
  if (spec.lm.provider === 'local') {
    return 'reproducible on this machine: every request carries its own seed, and the local engine (CPU, fp32) answers it the same in any batch';
  }
  return `requests carry seeds; whether the server honours them is unchecked (\`tandem check-determinism ${runId}\`)`;
}
