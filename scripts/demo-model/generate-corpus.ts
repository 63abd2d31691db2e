// Writes the demo model's corpus: `<out>/train/<task>.jsonl` and `<out>/eval/<task>.jsonl`, one
// episode per line ({"task","messages","answer"}), plus `<out>/manifest.json`.
// Usage: npx tsx scripts/demo-model/generate-corpus.ts --out .tandem/demo-model/corpus [--seed 0]
//        [--train-per-task 20000] [--eval-per-task 200]

import { mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { generateEpisode, parseNumericRows, TASKS, type Exclusions } from './corpus.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const out = arg('out', '.tandem/demo-model/corpus');
const seed = Number(arg('seed', '0'));
const perTask = Number(arg('train-per-task', '20000'));
const evalPerTask = Number(arg('eval-per-task', '200'));
const exclusions: Exclusions = {
  records4: parseNumericRows(readFileSync('resources/datasets/iris/iris.csv', 'utf8')),
  tol: 0.2,
};

async function writeSplit(split: 'train' | 'eval', n: number, splitSeed: number): Promise<void> {
  mkdirSync(join(out, split), { recursive: true });
  for (const task of TASKS) {
    const stream = createWriteStream(join(out, split, `${task}.jsonl`));
    for (let i = 0; i < n; i++) {
      const ep = generateEpisode(task, splitSeed, i, exclusions);
      const line = JSON.stringify({ task, messages: ep.messages, answer: ep.answer }) + '\n';
      if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }
}

await writeSplit('train', perTask, seed);
await writeSplit('eval', evalPerTask, seed + 1_000_003);
writeFileSync(join(out, 'manifest.json'), JSON.stringify({ seed, trainPerTask: perTask, evalPerTask, tasks: TASKS }, null, 1));
console.log(JSON.stringify({ event: 'corpus', out, seed, trainPerTask: perTask, evalPerTask, tasks: TASKS }));
