// Fine-tunes with the local engine's LoRA trainer (`python -m tandem_engine train`), streams its
// JSON progress lines as events, and registers the adapter with the running engine, so the next
// request can address it by name without a restart.

import type { LMBinding } from '../lm/lm-binding.ts';
import { engineEnv } from '../engine/engine-paths.ts';
import type { EngineProcess } from '../engine/engine-process.ts';
import { findPython } from '../engine/python.ts';
import { FinetuneError, type FinetuneEvent, type FinetuneJob, type FinetuneResult, type Finetuner } from './finetuner.ts';
import { runJsonLinesProcess } from './json-lines-process.ts';

export interface LocalEngineFinetunerOptions {
  /** The checkpoint folder of the base model. */
  baseModelDir: string;
  /** The engine serving that base model; the adapter is loaded into it. */
  engine: EngineProcess;
  dtype?: 'fp32' | 'bf16';
  device?: string;
  python?: string;
}

export class LocalEngineFinetuner implements Finetuner {
  readonly name = 'local-engine';

  constructor(private readonly options: LocalEngineFinetunerOptions) {}

  async attach(adapterName: string, adapterDir: string, base: LMBinding): Promise<LMBinding> {
    await this.options.engine.loadAdapter(adapterName, adapterDir);
    return { ...base, model: adapterName, baseModel: base.baseModel ?? base.model };
  }

  async finetune(job: FinetuneJob, { onEvent, signal }: { onEvent?: (e: FinetuneEvent) => void; signal?: AbortSignal } = {}): Promise<FinetuneResult> {
    const python = this.options.python ?? (await findPython()).executable;
    const h = job.hyperparams;
    const args = ['-m', 'tandem_engine', 'train', '--base', this.options.baseModelDir, '--data', job.trainFile, '--out', job.outDir,
      '--rank', String(h.rank), '--alpha', String(h.alpha), '--dropout', String(h.dropout), '--lr', String(h.learningRate),
      '--epochs', String(h.epochs), '--batch-size', String(h.batchSize), '--grad-accum', String(h.gradientAccumulation),
      '--max-seq-len', String(h.maxSeqLen), '--seed', String(h.seed)];
    if (h.threads !== undefined) args.push('--threads', String(h.threads));
    if (job.validFile) args.push('--valid', job.validFile);
    if (h.targetModules) args.push('--target-modules', h.targetModules.join(','));
    if (this.options.dtype) args.push('--dtype', this.options.dtype);
    if (this.options.device) args.push('--device', this.options.device);

    const losses: FinetuneResult['losses'] = [];
    let done: Record<string, unknown> | null = null;
    let failure: string | null = null;
    const run = await runJsonLinesProcess(python, args, {
      env: engineEnv(),
      ...(signal ? { signal } : {}),
      onLog: (line) => onEvent?.({ type: 'log', line }),
      onJson: (m) => {
        if (m.event === 'start') onEvent?.({ type: 'start', rows: num(m.train_rows) ?? 0, steps: num(m.total_steps) });
        else if (m.event === 'step') {
          const step = num(m.step) ?? losses.length + 1;
          const loss = num(m.loss) ?? NaN;
          losses.push({ step, loss });
          onEvent?.({ type: 'step', step, epoch: num(m.epoch) ?? 0, loss, tokensPerS: num(m.tokens_per_s), etaS: num(m.eta_s) });
        } else if (m.event === 'eval') onEvent?.({ type: 'eval', validLoss: num(m.valid_loss) ?? NaN });
        else if (m.event === 'done') done = m;
        else if (m.event === 'error') failure = String(m.message ?? 'unknown error');
      },
    });
    if (signal?.aborted) throw new FinetuneError('fine-tuning was cancelled', run.output);
    if (run.code !== 0 || !done) {
      const reason = failure ?? run.log.slice(-5).join('\n') ?? '';
      throw new FinetuneError(`the trainer failed (exit ${run.code ?? run.signal}): ${reason}`, run.output);
    }
    const finished = done as Record<string, unknown>;
    await this.options.engine.loadAdapter(job.adapterName, job.outDir).catch((error: unknown) => {
      // Keep the trainer's output with the failure: the job record stores it.
      throw new FinetuneError(error instanceof Error ? error.message : String(error), run.output);
    });
    return {
      adapterDir: job.outDir,
      binding: { ...job.base, model: job.adapterName, baseModel: job.base.baseModel ?? job.base.model },
      trainRows: num(finished.train_rows) ?? 0,
      skipped: (finished.skipped as Record<string, number> | undefined) ?? {},
      seconds: num(finished.seconds) ?? 0,
      losses,
      log: run.output,
    };
  }
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
