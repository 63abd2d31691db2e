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
          // The summary's table: the zero-shot row first, then the strategies in the order given.
          const summary = (r.summary ?? null) as { table?: Array<{ strategy: string; cells: Record<string, { mean: number | null }> }> } | null;
          const split = (r.config as { evalSplits?: string[] }).evalSplits?.includes('test') ? 'test' : 'dev';
          const mean = (strategy: string) => summary?.table?.find((row) => row.strategy === strategy)?.cells[split]?.mean;
          const last = r.strategy.split(', ').at(-1) ?? '';
          const seeds = (r.config as { seeds?: number[] }).seeds ?? [r.seed];
          return [
            String(r.id),
            r.task ?? '',
            r.strategy,
            seeds.length > 1 ? `${seeds[0]}..${seeds.at(-1)}` : String(seeds[0]),
            r.status,
            `${percent(mean(''))} ${split}`,
            `${percent(mean(last))} ${split}`,
            new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19),
          ];
        });
        process.stdout.write(`${table(['run', 'task', 'strategies', 'seeds', 'status', 'zero-shot', 'last strategy', 'created'], rows, ['right', 'left', 'left', 'right', 'left', 'right', 'right', 'left'])}\n`);
      } finally {
        store.close();
      }
    });
}
