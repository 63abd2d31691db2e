// `tandem resume <run>`: continues a crashed, failed or cancelled run from its last finished unit
// of work, with the settings it was started with.

import type { Command } from 'commander';
import { resumableSpec, resumeRun } from '../../runner/run-experiment.ts';
import { integer, resolveDbPath } from '../options.ts';
import { withRunSession } from '../run-session.ts';
import { CHECK_DETERMINISM_HELP } from './run.ts';

export function registerResumeCommand(program: Command): void {
  program
    .command('resume')
    .description('continue an interrupted run; nothing finished is redone')
    .argument('<run>', 'run id (see `tandem runs`)', integer('<run>', 1))
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--check-determinism <n>', CHECK_DETERMINISM_HELP, integer('--check-determinism', 0, 100_000))
    .option('--json', 'print one JSON summary on stdout')
    .action(async (runId: number, flags: { db?: string; json?: boolean; checkDeterminism?: number }) => {
      await withRunSession(
        { dbPath: resolveDbPath(flags.db), json: Boolean(flags.json), spec: (store) => resumableSpec(store, runId), checkCalls: flags.checkDeterminism, holder: `\`tandem resume ${runId}\`` },
        (options) => resumeRun(runId, options),
      );
    });
}
