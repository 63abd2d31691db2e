// `tandem runs`: lists the runs in a workspace database, newest first.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openStore } from '../../store/index.ts';
import { percent, table } from '../format.ts';
import { resolveDbPath } from '../options.ts';
import { UsageError } from '../user-error.ts';

export function registerRunsCommand(program: Command): void {
  program
    .command('runs')
    .description('list runs with their status and scores')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--json', 'print the runs as JSON')
    .action((flags: { db?: string; json?: boolean }) => {
      const file = resolveDbPath(flags.db);
      if (!existsSync(file)) throw new UsageError(`no database at ${file}; run \`tandem run\` first or pass --db`);
      const store = openStore(file);
      try {
        const runs = store.runs.list({});
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ runs })}\n`);
          return;
        }
        if (runs.length === 0) {
          process.stdout.write(`no runs yet in ${file}\n`);
          return;
        }
        const rows = runs.map((r) => {
          const summary = (r.summary ?? null) as { baseline?: Record<string, number>; final?: Record<string, number> } | null;
          return [
            String(r.id),
            r.task ?? '',
            r.strategy,
            String(r.seed),
            r.status,
            percent(summary?.baseline?.test),
            percent(summary?.final?.test),
            new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19),
          ];
        });
        process.stdout.write(`${table(['run', 'task', 'strategy', 'seed', 'status', 'zero-shot test', 'final test', 'created'], rows, ['right', 'left', 'left', 'right', 'left', 'right', 'right', 'left'])}\n`);
      } finally {
        store.close();
      }
    });
}
