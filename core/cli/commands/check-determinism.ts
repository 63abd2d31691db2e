// `tandem check-determinism <run>`: sends a slice of a finished run's requests to its model again
// (starting the local engine, serving the run's adapters) and counts completions that differ.
// A way to see whether a server reproduces seeded requests before trusting its numbers.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { checkFinishedRun, DEFAULT_CHECKED_CALLS, describeDeterminism, type DeterminismReport } from '../../runner/determinism-check.ts';
import { savedSpec } from '../../runner/run-experiment.ts';
import { finetuneDir, openRuntime } from '../../runner/runtime.ts';
import { openStore } from '../../store/index.ts';
import { integer, resolveDbPath } from '../options.ts';
import { UsageError } from '../user-error.ts';
import { resolveModelLibraryDir } from './models.ts';

export function registerCheckDeterminismCommand(program: Command): void {
  program
    .command('check-determinism')
    .description("send some of a run's requests again and count the completions that come back different (exit 3: some differ; 4: none could be checked)")
    .argument('<run>', 'run id (see `tandem runs`)', integer('<run>', 1))
    .option('--calls <n>', 'requests to send again, spread over the run', integer('--calls', 1, 100_000), DEFAULT_CHECKED_CALLS)
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (runId: number, flags: { calls: number; db?: string; json?: boolean }) => {
      const dbPath = resolveDbPath(flags.db);
      if (!existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}; pass --db`);
      const store = openStore(dbPath);
      try {
        const spec = savedSpec(store, runId);
        if (!spec.seededRequests) process.stderr.write(`run ${runId} sent no seeds with its requests; differences are expected at any temperature above 0\n`);
        const runtime = await openRuntime(spec, { libraryDir: resolveModelLibraryDir({ db: dbPath }), adapterRoot: finetuneDir(spec, store.file) });
        try {
          const report = await checkFinishedRun(runId, { store, runtime, calls: flags.calls });
          process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${describeDeterminism(report)}\n${differences(report)}`);
          // 3: completions differ; 4: nothing could be checked (no stored request, or every send failed)
          if (report.differing > 0) process.exitCode = 3;
          else if (report.checked === 0) process.exitCode = 4;
        } finally {
          await runtime.close();
        }
      } finally {
        store.close();
      }
    });
}

function differences(report: DeterminismReport): string {
  return report.examples
    .map((d) => `  call ${d.callId} (${d.model}, seed ${d.seed ?? 'none'}):\n    stored: ${JSON.stringify(d.stored.slice(0, 160))}\n    now:    ${JSON.stringify(d.fresh.slice(0, 160))}\n`)
    .join('');
}
