// Renders Iris prompts with the real ChatAdapter for *measuring* the demo model (never for
// training): zero-shot, and with k labeled train-split demos (random, or one per species).
// `--split test` (default) is for reporting; `--split dev` is for decisions about the recipe
// (which checkpoint to keep), so the test rows never steer it.
// Usage: npx tsx scripts/demo-model/render-iris.ts --out .tandem/demo-model/iris-eval.jsonl [--seed 0] [--split test|dev]

import { writeFileSync } from 'node:fs';
import { ChatAdapter } from '../../core/adapter/chat-adapter.ts';
import { REASONING_FIELD } from '../../core/program/chain-of-thought.ts';
import type { Demo } from '../../core/program/demo.ts';
import { irisSignature, irisTask } from '../../core/tasks/iris.ts';
import { deriveSeed, Rng } from '../../core/util/random.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const out = arg('out', '.tandem/demo-model/iris-eval.jsonl');
const seed = Number(arg('seed', '0'));
const split = arg('split', 'test');
if (split !== 'test' && split !== 'dev') throw new Error(`--split must be test or dev, not ${JSON.stringify(split)}`);
const adapter = new ChatAdapter();
const sig = irisSignature().prependOutput(REASONING_FIELD);
const splits = await irisTask.load({ seed });
const rng = new Rng(deriveSeed(seed, 'demo-model-iris-eval'));
const toDemo = (ex: (typeof splits.train)[number]): Demo => ({ fields: { ...ex.inputs, species: ex.labels.species! }, augmented: false, exampleId: ex.id });
const lines: string[] = [];
for (const ex of splits[split]) {
  const label = String(ex.labels.species);
  lines.push(JSON.stringify({ id: ex.id, variant: 'zero-shot', label, messages: adapter.format(sig, [], ex.inputs) }));
  const random3 = rng.sample(splits.train, 3).map(toDemo);
  lines.push(JSON.stringify({ id: ex.id, variant: 'demos-3-random', label, messages: adapter.format(sig, random3, ex.inputs) }));
  const perClass = ['setosa', 'versicolor', 'virginica'].map((s) => rng.sample(splits.train.filter((t) => t.labels.species === s), 1)[0]!);
  lines.push(JSON.stringify({ id: ex.id, variant: 'demos-3-per-class', label, messages: adapter.format(sig, rng.shuffle(perClass).map(toDemo), ex.inputs) }));
}
writeFileSync(out, lines.join('\n') + '\n');
console.log(JSON.stringify({ event: 'iris-eval', out, split, rows: lines.length }));
