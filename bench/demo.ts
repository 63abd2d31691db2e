// Wall time of `tandem demo` (Iris, the paper's eight strategies, 3 seeds, the embedded demo
// model on the local engine, offline) on this machine. Goal: <= 15 minutes on 2 cores.
// DEMO_BENCH_SEED_CONCURRENCY=1 measures the seeds one after another (default: all at once).

import { atMost, info, type BenchResult } from './lib.ts';
import { demoModelMissing, demoModelSha, runDemoCli } from './demo-lib.ts';

export async function run(): Promise<BenchResult> {
  const missing = demoModelMissing();
  if (missing) return { name: 'demo', rows: [], notes: [missing] };
  const seedConcurrency = process.env.DEMO_BENCH_SEED_CONCURRENCY;
  const summary = await runDemoCli(['demo', ...(seedConcurrency ? ['--seed-concurrency', seedConcurrency] : [])], 2 * 3600_000);
  const best = summary.table.filter((r) => r.strategy !== '').map((r) => r.cells.test?.mean ?? 0);
  const notes = [
    `model.safetensors sha256 ${demoModelSha()}…, seeds at once: ${seedConcurrency ?? 'all'}`,
    ...summary.table.map((r) => `${r.strategy || 'zero-shot'}: test ${JSON.stringify(r.cells.test?.values ?? [])}`),
  ];
  return {
    name: 'demo',
    notes,
    rows: [atMost('tandem demo wall time', Math.round((summary.seconds / 60) * 10) / 10, 'min', 15), info('strategies in the table', summary.table.length - 1, ''), info('best strategy test mean', Math.round(Math.max(...best) * 10) / 10, '%')],
  };
}
