// The hosted fine-tuning backend in the one spec path: `--finetune hosted` and the input's
// `finetune.backend: 'hosted'` give `{ kind: 'hosted', baseModel }`, refused with the local engine
// or beside a trainer command, and the runtime gives the run's LM server and key to it.

import { describe, expect, it } from 'vitest';
import { specFromFlags, type RunFlags } from '../../../core/cli/commands/run.ts';
import { EXPERIMENT_DEFAULTS } from '../../../core/contract/defaults.ts';
import { CreateExperimentInput } from '../../../core/contract/experiment-input.ts';
import { HostedFinetuner } from '../../../core/finetune/hosted-finetuner.ts';
import { openRuntime } from '../../../core/runner/runtime.ts';
import { buildExperimentSpec } from '../../../core/runner/spec-builder.ts';

const BASE_URL = 'http://127.0.0.1:9/v1';
const FLAGS: RunFlags = {
  seed: EXPERIMENT_DEFAULTS.seed,
  seeds: EXPERIMENT_DEFAULTS.seeds,
  concurrency: EXPERIMENT_DEFAULTS.concurrency,
  candidates: EXPERIMENT_DEFAULTS.optimizer.candidates,
  maxDemos: EXPERIMENT_DEFAULTS.optimizer.maxDemos,
  maxLabeled: EXPERIMENT_DEFAULTS.optimizer.maxLabeled,
  rounds: EXPERIMENT_DEFAULTS.optimizer.rounds,
  temperature: EXPERIMENT_DEFAULTS.sampling.temperature,
  maxTokens: EXPERIMENT_DEFAULTS.sampling.maxTokens,
  timeout: EXPERIMENT_DEFAULTS.timeoutSeconds,
  retries: EXPERIMENT_DEFAULTS.retries,
  cache: true,
  test: true,
  lm: 'openai:gpt-4o-mini',
  baseUrl: BASE_URL,
  strategies: 'p -> w',
};

function cliMessage(flags: Partial<RunFlags>): string {
  try {
    specFromFlags('iris', { ...FLAGS, ...flags });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the CLI accepted the input');
}

describe('finetune backend "hosted"', () => {
  it('--finetune hosted gives the hosted backend on the run model, or the --finetune-base model', () => {
    expect(specFromFlags('iris', { ...FLAGS, finetune: 'hosted' }).finetune).toEqual({ kind: 'hosted', baseModel: 'gpt-4o-mini' });
    expect(specFromFlags('iris', { ...FLAGS, finetune: 'hosted', finetuneBase: 'gpt-4o-mini-2024-07-18' }).finetune).toEqual({ kind: 'hosted', baseModel: 'gpt-4o-mini-2024-07-18' });
    const input = CreateExperimentInput.parse({ task: 'iris', strategies: 'p -> w', lm: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: BASE_URL }, finetune: { backend: 'hosted' } });
    expect(buildExperimentSpec(input, { env: {} }).finetune).toEqual({ kind: 'hosted', baseModel: 'gpt-4o-mini' });
  });

  it('refuses an unknown backend, the local engine, and a trainer command beside it, naming the flag', () => {
    expect(cliMessage({ finetune: 'cloud' })).toMatch(/^--finetune: /);
    expect(cliMessage({ finetune: 'hosted', finetuneCommand: 'train {train}' })).toBe('--finetune: and a fine-tuning command are two backends; give one of them');
    expect(cliMessage({ finetune: 'hosted', lm: 'local:demo', baseUrl: undefined })).toBe('--finetune: is only for provider "openai"; the local engine trains its own adapters');
  });

  it('the runtime gives the hosted fine-tuner the run LM server and key', async () => {
    const spec = specFromFlags('iris', { ...FLAGS, finetune: 'hosted' });
    const runtime = await openRuntime(spec, { libraryDir: '/nonexistent', env: { OPENAI_API_KEY: 'sk-x' }, lmFromCommandLine: true });
    try {
      expect(runtime.finetuner).toBeInstanceOf(HostedFinetuner);
      expect(runtime.finetuner!.name).toBe('hosted');
      expect(runtime.lm.apiKey).toBe('sk-x');
    } finally {
      await runtime.close();
    }
  });
});
