// `tandem demo`: Iris on the embedded demo model, the paper's eight strategies over three seeds,
// offline on the local engine, ending in the paper-style table.

import type { Command } from 'commander';
import { DEMO_MODEL_NAME, DEMO_RUN_DEFAULTS } from '../../contract/defaults.ts';
import { embeddedDemoModel } from '../../models/embedded.ts';
import { startRun } from '../../runner/run-experiment.ts';
import { specFromInput } from '../experiment-flags.ts';
import { numeric, resolveDbPath } from '../options.ts';
import { withRunSession } from '../run-session.ts';
import { UsageError } from '../user-error.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('BetterTogether on Iris with the embedded demo model: all eight strategies, three seeds, offline')
    .option('--seeds <n>', 'number of seeds', numeric, DEMO_RUN_DEFAULTS.seeds)
    .option('--seed-concurrency <n>', 'seeds run at once (default: all; 1: one after another)', numeric)
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--json', 'print one JSON summary on stdout')
    .action(async (flags: { seeds: number; seedConcurrency?: number; db?: string; json?: boolean }) => {
      if (!embeddedDemoModel()) {
        throw new UsageError(`the embedded demo model (resources/models/${DEMO_MODEL_NAME}) is not in this checkout; build it with \`npm run train:demo-model\``);
      }
      // Every other setting is the experiment input's default, as for `tandem run`.
      const spec = specFromInput({
        task: DEMO_RUN_DEFAULTS.task,
        strategies: DEMO_RUN_DEFAULTS.strategies,
        seeds: flags.seeds,
        ...(flags.seedConcurrency !== undefined ? { seedConcurrency: flags.seedConcurrency } : {}),
        lm: { provider: 'local', model: DEMO_MODEL_NAME },
        sampling: { maxTokens: DEMO_RUN_DEFAULTS.maxTokens },
      });
      await withRunSession({ dbPath: resolveDbPath(flags.db), json: Boolean(flags.json), spec, holder: '`tandem demo`' }, (options) => startRun(spec, options));
    });
}
