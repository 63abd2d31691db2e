// `npm run bench [name...]`: runs the named benchmarks (all by default), prints each table and
// writes bench/results/<name>.json. Each benchmark lives in bench/<name>.ts and exports `run`.

import { formatTable, writeResult, type BenchResult } from './lib.ts';

const BENCHES = ['orchestration', 'saturation', 'store', 'retrieval', 'engine-generate', 'engine-train', 'engine-start', 'strategy-tree', 'hotpotqa-recall', 'demo-model', 'demo', 'ui-traces', 'ui-live'] as const;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(BENCHES as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${BENCHES.join(', ')}`);
  process.exit(2);
}
let failedGoals = 0;
for (const name of wanted.length > 0 ? wanted : BENCHES) {
  const mod = (await import(`./${name}.ts`)) as { run: () => Promise<BenchResult> };
  const result = await mod.run();
  console.log(formatTable(result));
  console.log(`wrote ${writeResult(result)}\n`);
  failedGoals += result.rows.filter((r) => r.met === false).length;
}
if (failedGoals > 0) console.log(`${failedGoals} goal(s) not met`);
