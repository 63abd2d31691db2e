// Fine-tunes with an external trainer command for models that outgrow the local engine (TRL with
// accelerate or torchrun, MLX-LM, …). The command is a template whose placeholders are filled per
// job: {base} {train} {valid} {out} {rank} {alpha} {dropout} {lr} {epochs} {batch_size}
// {grad_accum} {max_seq_len} {seed}. It runs without a shell (arguments are split on spaces,
// quotes respected). On success the adapter is registered with an OpenAI-compatible server that
// has vLLM's `/v1/load_lora_adapter` endpoint.

import type { LMBinding } from '../lm/lm-binding.ts';
import type { FinetuneEvent, FinetuneJob, FinetuneResult, Finetuner } from './finetuner.ts';
import { FinetuneError } from './finetuner.ts';
import { runJsonLinesProcess } from './json-lines-process.ts';

export interface CommandFinetunerOptions {
  template: string;
  /** Path or hub id of the base model as the external trainer knows it (fills {base}). */
  baseModel: string;
  /** Registers the adapter; default: POST {baseUrl}/load_lora_adapter on the base binding's server. */
  register?: (name: string, adapterDir: string, baseUrl: string) => Promise<void>;
  cwd?: string;
}

export class CommandFinetuner implements Finetuner {
  readonly name = 'command';

  constructor(private readonly options: CommandFinetunerOptions) {}

  async attach(adapterName: string, adapterDir: string, base: LMBinding): Promise<LMBinding> {
    if (base.baseUrl) await (this.options.register ?? registerWithServer)(adapterName, adapterDir, base.baseUrl);
    return { ...base, model: adapterName, baseModel: base.baseModel ?? base.model };
  }

  async finetune(job: FinetuneJob, { onEvent, signal }: { onEvent?: (e: FinetuneEvent) => void; signal?: AbortSignal } = {}): Promise<FinetuneResult> {
    const h = job.hyperparams;
    const values: Record<string, string> = {
      base: this.options.baseModel,
      train: job.trainFile,
      valid: job.validFile ?? '',
      out: job.outDir,
      rank: String(h.rank),
      alpha: String(h.alpha),
      dropout: String(h.dropout),
      lr: String(h.learningRate),
      epochs: String(h.epochs),
      batch_size: String(h.batchSize),
      grad_accum: String(h.gradientAccumulation),
      max_seq_len: String(h.maxSeqLen),
      seed: String(h.seed),
    };
    const argv = fillTemplate(this.options.template, values);
    const started = Date.now();
    const losses: FinetuneResult['losses'] = [];
    const run = await runJsonLinesProcess(argv[0]!, argv.slice(1), {
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      ...(signal ? { signal } : {}),
      onLog: (line) => onEvent?.({ type: 'log', line }),
      onJson: (m) => {
        if (typeof m.loss === 'number') {
          const step = typeof m.step === 'number' ? m.step : losses.length + 1;
          losses.push({ step, loss: m.loss });
          onEvent?.({ type: 'step', step, epoch: typeof m.epoch === 'number' ? m.epoch : 0, loss: m.loss, tokensPerS: null, etaS: null });
        }
      },
    }).catch((error: Error) => {
      throw new FinetuneError(`cannot run trainer command "${argv[0]}": ${error.message}`);
    });
    if (run.code !== 0) throw new FinetuneError(`the trainer command failed (exit ${run.code ?? run.signal}): ${run.log.slice(-5).join('\n')}`, run.output);
    const baseUrl = job.base.baseUrl;
    if (baseUrl) {
      await (this.options.register ?? registerWithServer)(job.adapterName, job.outDir, baseUrl).catch((error: unknown) => {
        // Keep the trainer's output with the failure: the job record stores it.
        throw new FinetuneError(error instanceof Error ? error.message : String(error), run.output);
      });
    }
    return {
      adapterDir: job.outDir,
      binding: { ...job.base, model: job.adapterName, baseModel: job.base.baseModel ?? job.base.model },
      trainRows: 0,
      skipped: {},
      seconds: (Date.now() - started) / 1000,
      losses,
      log: run.output,
    };
  }
}

/** Splits a template into argv (double or single quotes group words) and fills {placeholders}. */
export function fillTemplate(template: string, values: Record<string, string>): string[] {
  const words = template.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  if (words.length === 0) throw new FinetuneError('the trainer command template is empty');
  return words.map((word) =>
    word.replace(/^(["'])(.*)\1$/, '$2').replace(/\{([a-z_]+)\}/g, (match, key: string) => {
      if (!(key in values)) throw new FinetuneError(`unknown placeholder ${match} in the trainer command; known: ${Object.keys(values).map((k) => `{${k}}`).join(' ')}`);
      return values[key]!;
    }),
  );
}

/** Registers the adapter through vLLM's endpoint, unless the server already serves that name (vLLM refuses a second load with HTTP 400). */
async function registerWithServer(name: string, adapterDir: string, baseUrl: string): Promise<void> {
  const base = baseUrl.replace(/\/+$/, '');
  if (await servesModel(base, name)) return;
  const response = await fetch(`${base}/load_lora_adapter`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lora_name: name, lora_path: adapterDir }),
  });
  if (!response.ok) throw new FinetuneError(`registering adapter "${name}" with ${baseUrl} failed (HTTP ${response.status}): ${await response.text()}`);
}

async function servesModel(base: string, name: string): Promise<boolean> {
  try {
    const response = await fetch(`${base}/models`);
    if (!response.ok) return false;
    const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
    return Array.isArray(body.data) && body.data.some((m) => m.id === name);
  } catch {
    return false; // no model list: register and let the server say what is wrong
  }
}
