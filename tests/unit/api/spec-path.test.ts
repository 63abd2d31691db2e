// One spec path: `tandem run`'s flags, `tandem demo` and the API's createExperiment give the same
// experiment input to the same schema and builder, so they build the same spec and refuse bad
// input with the same text (the CLI names the flag where the API names the field).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFromFlags, type RunFlags } from '../../../core/cli/commands/run.ts';
import { flagOf, specFromInput } from '../../../core/cli/experiment-flags.ts';
import { DEMO_MODEL_NAME, EXPERIMENT_DEFAULTS, RANDOM_SEARCH_DEFAULTS } from '../../../core/contract/defaults.ts';
import { CreateExperimentInput } from '../../../core/contract/experiment-input.ts';
import { parseStrategy } from '../../../core/contract/strategy.ts';
import { buildExperimentSpec, ExperimentInputError, finetunerIssue } from '../../../core/runner/spec-builder.ts';
import { apiError, openWorkspace, type Workspace } from './helpers.ts';

let ws: Workspace;
beforeAll(() => {
  ws = openWorkspace();
});
afterAll(async () => {
  await ws.close();
});

const lm = { provider: 'openai', model: 'stub-model', baseUrl: 'http://127.0.0.1:9/v1' } as const;
const LM_FLAGS = { lm: 'openai:stub-model', baseUrl: lm.baseUrl };

/** What commander gives `tandem run` when no option is typed: the contract's defaults. */
const CLI_DEFAULTS: RunFlags = {
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
};

function cliMessage(flags: Partial<RunFlags>, task = 'iris'): string {
  try {
    specFromFlags(task, { ...CLI_DEFAULTS, ...LM_FLAGS, ...flags });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the CLI accepted the input');
}

describe('one spec path', () => {
  it('builds the same spec from flags and from the API input, every default from the contract', async () => {
    const flags = { strategies: 'p, p->w', seeds: 2, seedConcurrency: 1, finetuneCommand: 'train {base} {train} {out}', loraRank: 8, maxErrors: 3, test: false };
    const cli = specFromFlags('iris', { ...CLI_DEFAULTS, ...LM_FLAGS, ...flags });
    const created = await ws.api.createExperiment({
      task: 'iris',
      strategies: 'p, p->w',
      seeds: 2,
      seedConcurrency: 1,
      lm,
      finetune: { command: 'train {base} {train} {out}', hyperparams: { rank: 8 } },
      maxErrors: 3,
      evalSplits: ['dev'],
    });
    expect(created.spec).toEqual(cli);
    expect(cli).toMatchObject({
      strategies: ['p', 'p -> w'],
      seeds: [0, 1],
      seedConcurrency: 1,
      finetune: { kind: 'command', template: 'train {base} {train} {out}', baseModel: 'stub-model' },
      concurrency: EXPERIMENT_DEFAULTS.concurrency,
      lm: { maxConcurrency: EXPERIMENT_DEFAULTS.concurrency, maxRetries: EXPERIMENT_DEFAULTS.retries, timeoutMs: EXPERIMENT_DEFAULTS.timeoutSeconds * 1000 },
      sampling: EXPERIMENT_DEFAULTS.sampling,
      randomSearch: RANDOM_SEARCH_DEFAULTS,
      hyperparams: { rank: 8 },
      evalSplits: ['dev'],
    });
  });

  it("builds `tandem demo`'s spec from the same input with the demo's own defaults", () => {
    const spec = specFromInput({ task: 'iris', strategies: 'all', seeds: 3, lm: { provider: 'local', model: DEMO_MODEL_NAME }, sampling: { maxTokens: 256 } });
    expect(spec).toMatchObject({ strategies: ['p', 'w', 'p -> p', 'w -> w', 'p -> w', 'w -> p', 'p -> w -> p'], seeds: [0, 1, 2], finetune: { kind: 'local' } });
    expect(spec.lm).toEqual({ provider: 'local', model: DEMO_MODEL_NAME, baseUrl: null, apiKeyEnv: null, maxConcurrency: 16, maxRetries: 4, timeoutMs: 120_000 });
    expect(spec.sampling).toEqual({ temperature: 0.1, maxTokens: 256 });
  });

  it('refuses bad input with the same text in the CLI (naming the flag) and the API (naming the field)', async () => {
    const cases: { api: CreateExperimentInput; flags: Partial<RunFlags>; field: string; flag: string; text: string; task?: string }[] = [
      { api: { task: 'iris', seeds: 0, lm }, flags: { seeds: 0 }, field: 'seeds', flag: '--seeds', text: 'must be ≥ 1, got 0' },
      { api: { task: 'iris', seeds: 'two', lm } as never, flags: { seeds: 'two' }, field: 'seeds', flag: '--seeds', text: 'must be a number, got "two"' },
      { api: { task: 'iris', sampling: { temperature: 3 }, lm }, flags: { temperature: 3 }, field: 'sampling.temperature', flag: '--temperature', text: 'must be ≤ 2, got 3' },
      { api: { task: 'iris', timeoutSeconds: 0, lm }, flags: { timeout: 0 }, field: 'timeoutSeconds', flag: '--timeout', text: 'must be ≥ 0.1, got 0' },
      { api: { task: 'iris', finetune: { hyperparams: { rank: 0 } }, lm }, flags: { loraRank: 0 }, field: 'finetune.hyperparams.rank', flag: '--lora-rank', text: 'must be ≥ 1, got 0' },
      {
        api: { task: 'iris', strategies: 'p, p -> x', lm },
        flags: { strategies: 'p, p -> x' },
        field: 'strategies',
        flag: '--strategies',
        text: 'strategy "p -> x" names unknown optimizer "x"; valid tokens: "p", "w"',
      },
      { api: { task: 'iris', strategies: 'p ->', lm }, flags: { strategy: 'p ->' }, field: 'strategies', flag: '--strategy', text: 'strategy "p ->" ends with "->"' },
      {
        api: { task: 'iris', strategies: 'p, p -> w', lm },
        flags: { strategies: 'p, p -> w' },
        field: 'strategies',
        flag: '--strategies',
        text: 'strategy "p -> w" has a "w" (fine-tuning) step, but provider "openai" has no fine-tuning backend; use a model on the local engine, give a fine-tuning command, or fine-tune through the server\'s API (hosted)',
      },
      { api: { task: 'hotpot', lm }, flags: {}, task: 'hotpot', field: 'task', flag: '', text: 'unknown task "hotpot"; available tasks: gsm8k, hotpotqa, iris' },
      { api: { task: 'iris', dataPath: '/no/such/file.csv', lm }, flags: { data: '/no/such/file.csv' }, field: 'dataPath', flag: '--data', text: 'no such file or folder: /no/such/file.csv' },
    ];
    for (const c of cases) {
      const api = await apiError(ws.api.createExperiment(c.api));
      expect(api.code).toBe('invalid-input');
      expect(api.issues).toEqual([{ path: c.field, message: c.text }]);
      expect(api.message).toBe(`${c.field}: ${c.text}`);
      expect(cliMessage(c.flags, c.task)).toBe(c.flag === '' ? c.text : `${c.flag}: ${c.text}`);
    }
  });

  it('maps every field of the input to a flag, and a nested field to its parent flag', () => {
    expect(flagOf('optimizer.maxDemos')).toBe('--max-demos');
    expect(flagOf('lm.model')).toBe('--lm');
    expect(flagOf('lm.baseUrl')).toBe('--base-url');
    expect(flagOf('strategies[1]', { strategies: '--strategy' })).toBe('--strategy');
  });

  it('names the flag that gave the model: --model when --lm is absent', () => {
    expect(cliMessage({ lm: undefined, model: ' ' })).toBe('--model: must not be empty');
  });

  it('picks the default model, or says there is none', () => {
    const input = CreateExperimentInput.parse({ task: 'iris', lm: { baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(buildExperimentSpec(input, { env: { TANDEM_MODEL: 'env-model' }, hasDemoModel: () => true }).lm).toMatchObject({ provider: 'openai', model: 'env-model', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(buildExperimentSpec(input, { env: {}, hasDemoModel: () => true }).lm).toMatchObject({ provider: 'local', model: DEMO_MODEL_NAME, baseUrl: null });
    expect(() => buildExperimentSpec(input, { env: {}, hasDemoModel: () => false })).toThrow(ExperimentInputError);
    expect(CreateExperimentInput.safeParse({ task: 'iris', lm: { provider: 'openai' } }).success).toBe(false);
  });

  it('states the fine-tuner rule once, for the builder and for a resumed spec', () => {
    const strategies = [parseStrategy('p'), parseStrategy('p -> w')];
    expect(finetunerIssue(strategies, 'openai', true)).toBeNull();
    expect(finetunerIssue([parseStrategy('p')], 'openai', false)).toBeNull();
    expect(finetunerIssue(strategies, 'openai', false)).toMatch(/^strategy "p -> w" has a "w" \(fine-tuning\) step/);
  });
});
