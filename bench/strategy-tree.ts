// The strategy tree's savings: LM requests and fine-tune jobs for the paper's eight-strategy table
// (one seed), run as one prefix tree versus each strategy run alone in a fresh workspace.
// Goals: tree / alone <= 0.6 for LM requests and <= 0.5 for fine-tunes. Real parts: the runner,
// SQLite, an OpenAI-compatible stub server in its own process, and the engine's LoRA trainer on a
// tiny checkpoint as the fine-tuning command.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineDir } from '../core/engine/engine-paths.ts';
import { findPython } from '../core/engine/python.ts';
import { CommandFinetuner } from '../core/finetune/command-finetuner.ts';
import { PAPER_HYPERPARAMS } from '../core/finetune/finetuner.ts';
import { resolveLMOptions } from '../core/lm/lm-config.ts';
import { RANDOM_SEARCH_DEFAULTS } from '../core/optimize/random-search.ts';
import type { ExperimentSpec } from '../core/runner/experiment-spec.ts';
import { startRun } from '../core/runner/run-experiment.ts';
import { PAPER_STRATEGIES } from '../core/contract/strategy.ts';
import { openStore } from '../core/store/index.ts';
import { makeTinyCheckpoint } from '../tests/helpers/engine.ts';
import { startStubServer } from '../tests/fixtures/stub-server-process.ts';
import { atMost, info, type BenchResult } from './lib.ts';

export async function run(): Promise<BenchResult> {
  process.env.PYTHONPATH = [engineDir(), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const stub = await startStubServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-tree-'));
  try {
    const tiny = await makeTinyCheckpoint(path.join(dir, 'tiny'));
    const python = (await findPython()).executable;
    const template = `${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --max-seq-len 4096`;
    const finetuner = new CommandFinetuner({ template, baseModel: tiny });
    const lm = resolveLMOptions({ flags: { model: 'stub-model', baseUrl: stub.baseUrl }, env: {} });
    const spec = (strategies: string[]): ExperimentSpec => ({
      task: 'iris',
      dataPath: null,
      strategies,
      seeds: [0],
      lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl, apiKeyEnv: null, maxConcurrency: 16, maxRetries: 4, timeoutMs: 60_000 },
      finetune: { kind: 'command', template, baseModel: tiny },
      concurrency: 16,
      maxErrors: null,
      sampling: { temperature: 0.1, maxTokens: 1024 },
      randomSearch: RANDOM_SEARCH_DEFAULTS,
      hyperparams: PAPER_HYPERPARAMS,
      evalSplits: ['dev', 'test'],
      useCache: true,
      workDir: null,
    });
    const measure = async (name: string, strategies: string[]) => {
      const store = openStore(path.join(dir, name, 'tandem.db'));
      try {
        await stub.resetStats();
        const outcome = await startRun(spec(strategies), { store, runtime: { lm, finetuner } });
        return { requests: (await stub.stats()).requests, finetunes: store.finetuneJobs.listForRun(outcome.runId).length };
      } finally {
        store.close();
      }
    };

    const tree = await measure('tree', [...PAPER_STRATEGIES]);
    let aloneRequests = 0;
    let aloneFinetunes = 0;
    for (const [i, strategy] of PAPER_STRATEGIES.entries()) {
      const alone = await measure(`alone-${i}`, [strategy]);
      aloneRequests += alone.requests;
      aloneFinetunes += alone.finetunes;
    }
    return {
      name: 'strategy-tree',
      rows: [
        atMost('LM requests: tree / alone', tree.requests / aloneRequests, 'ratio', 0.6),
        atMost('fine-tune jobs: tree / alone', tree.finetunes / aloneFinetunes, 'ratio', 0.5),
        info('LM requests as a tree', tree.requests, 'requests'),
        info('LM requests, strategies alone', aloneRequests, 'requests'),
        info('fine-tune jobs as a tree', tree.finetunes, 'jobs'),
        info('fine-tune jobs, strategies alone', aloneFinetunes, 'jobs'),
      ],
      notes: ["the paper's eight strategies on Iris, one seed; each 'alone' run also evaluates the zero-shot baseline, as a lone run must"],
    };
  } finally {
    await stub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
