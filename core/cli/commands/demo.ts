// `tandem demo`: Iris on the embedded demo model, the paper's eight strategies over three seeds,
// offline on the local engine, ending in the paper-style table.

import type { Command } from 'commander';
import { DEMO_MODEL_NAME } from '../../finetune/presets.ts';
import { embeddedDemoModel } from '../../models/embedded.ts';
import { startRun } from '../../runner/run-experiment.ts';
import { integer, resolveDbPath } from '../options.ts';
import { withRunSession } from '../run-session.ts';
import { UsageError } from '../user-error.ts';
import { specFromFlags, type RunFlags } from './run.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('BetterTogether on Iris with the embedded demo model: all eight strategies, three seeds, offline')
    .option('--seeds <n>', 'number of seeds', integer('--seeds', 1, 100), 3)
    .option('--seed-concurrency <n>', 'seeds run at once (default: all; 1: one after another)', integer('--seed-concurrency', 1, 100))
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--json', 'print one JSON summary on stdout')
    .action(async (flags: { seeds: number; seedConcurrency?: number; db?: string; json?: boolean }) => {
      if (!embeddedDemoModel()) {
        throw new UsageError(`the embedded demo model (resources/models/${DEMO_MODEL_NAME}) is not in this checkout; build it with \`npm run train:demo-model\``);
      }
      const runFlags: RunFlags = {
        all: true,
        lm: `local:${DEMO_MODEL_NAME}`,
        seed: 0,
        seeds: flags.seeds,
        ...(flags.seedConcurrency !== undefined ? { seedConcurrency: flags.seedConcurrency } : {}),
        concurrency: 16,
        candidates: 6,
        maxDemos: 3,
        maxLabeled: 3,
        rounds: 1,
        temperature: 0.1,
        maxTokens: 256,
        timeout: 120,
        retries: 4,
        cache: true,
        test: true,
      };
      const spec = specFromFlags('iris', runFlags);
      await withRunSession({ dbPath: resolveDbPath(flags.db), json: Boolean(flags.json), spec }, (options) => startRun(spec, options));
    });
}
