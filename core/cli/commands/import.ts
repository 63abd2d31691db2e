// `tandem import <bundle>`: brings a run bundle (`tandem export`) into this workspace as a new
// run with new ids. The bundle is checked whole first: a damaged one is refused and nothing is
// written; a bundle imported before names the run it made.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createApi } from '../../api/index.ts';
import { lockWorkspace } from '../../host/workspace-lock.ts';
import { resolveDbPath } from '../options.ts';
import { asUserError } from '../workspace-api.ts';

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import a run bundle written by `tandem export` into this workspace')
    .argument('<bundle>', 'the bundle file (.tandem)')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--json', 'print the imported run as JSON')
    .action(async (bundle: string, flags: { db?: string; json?: boolean }) => {
      const file = resolveDbPath(flags.db);
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      // The import writes in one transaction across the bundle's reads: no other writer meanwhile.
      const lock = lockWorkspace(file, '`tandem import`');
      try {
        const api = createApi({ dbPath: file, embeddedModelsDir: null });
        try {
          const result = await api.importRunBundle({ path: bundle }).catch(asUserError);
          if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
          else if (result.imported) process.stdout.write(`imported run ${result.sourceRunId} of ${path.basename(bundle)} as run ${result.runId}\n`);
          else process.stdout.write(`${path.basename(bundle)} was imported before: run ${result.runId}\n`);
        } finally {
          await api.close();
        }
      } finally {
        lock.release();
      }
    });
}
