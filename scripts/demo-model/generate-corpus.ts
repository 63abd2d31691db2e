// Writes the demo model's corpus: `<out>/train/<task>.jsonl` and `<out>/eval/<task>.jsonl`, one
// episode per line ({"task","messages","answer"}), plus `<out>/manifest.json`.
// Usage: npx tsx scripts/demo-model/generate-corpus.ts --out .tandem/demo-model/corpus [--seed 0]
//        [--train-per-task 20000] [--eval-per-task 200] [--class-names pseudo|taxon|varied]
//        [--zero-shot-classify 0.3] [--letter-words 0] [--pieces-from tokenizer.json]

import { mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { CLASS_NAME_STYLES, DEFAULT_CORPUS_OPTIONS, generateEpisode, parseNumericRows, TASKS, wordPieces, type ClassNameStyle, type CorpusOptions, type Exclusions } from './corpus.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const out = arg('out', '.tandem/demo-model/corpus');
const seed = Number(arg('seed', '0'));
const perTask = Number(arg('train-per-task', '20000'));
const evalPerTask = Number(arg('eval-per-task', '200'));
const classNames = arg('class-names', DEFAULT_CORPUS_OPTIONS.classNames) as ClassNameStyle;
if (!CLASS_NAME_STYLES.includes(classNames)) {
  throw new Error(`--class-names must be one of ${CLASS_NAME_STYLES.join(', ')}, got ${JSON.stringify(classNames)}`);
}
/** A probability option: a number from 0 to 1, or a clear error naming the flag. */
function fraction(name: string, fallback: number): number {
  const value = Number(arg(name, String(fallback)));
  if (!(value >= 0 && value <= 1)) throw new Error(`--${name} must be a number from 0 to 1, got ${JSON.stringify(arg(name, ''))}`);
  return value;
}
const zeroShotClassify = fraction('zero-shot-classify', DEFAULT_CORPUS_OPTIONS.zeroShotClassify);
const letterWords = fraction('letter-words', DEFAULT_CORPUS_OPTIONS.letterWords);
// Random-letter words are built from this tokenizer's word pieces when given (see CorpusOptions.pieces).
const piecesFrom = arg('pieces-from', '');
const pieces = piecesFrom ? wordPieces(JSON.parse(readFileSync(piecesFrom, 'utf8')) as Parameters<typeof wordPieces>[0]) : undefined;
if (piecesFrom && !pieces?.length) throw new Error(`--pieces-from ${piecesFrom}: no lowercase word pieces in its model.vocab`);
const options: CorpusOptions = { classNames, letterWords, zeroShotClassify, ...(pieces ? { pieces } : {}) };
const exclusions: Exclusions = {
  records4: parseNumericRows(readFileSync('resources/datasets/iris/iris.csv', 'utf8')),
  tol: 0.2,
};

async function writeSplit(split: 'train' | 'eval', n: number, splitSeed: number): Promise<void> {
  mkdirSync(join(out, split), { recursive: true });
  for (const task of TASKS) {
    const stream = createWriteStream(join(out, split, `${task}.jsonl`));
    for (let i = 0; i < n; i++) {
      const ep = generateEpisode(task, splitSeed, i, exclusions, options);
      const line = JSON.stringify({ task, messages: ep.messages, answer: ep.answer }) + '\n';
      if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }
}

await writeSplit('train', perTask, seed);
await writeSplit('eval', evalPerTask, seed + 1_000_003);
writeFileSync(join(out, 'manifest.json'), JSON.stringify({ seed, trainPerTask: perTask, evalPerTask, tasks: TASKS, ...options, pieces: pieces?.length, piecesFrom: piecesFrom || undefined }, null, 1));
console.log(JSON.stringify({ event: 'corpus', out, seed, trainPerTask: perTask, evalPerTask, tasks: TASKS, ...options, pieces: pieces?.length }));
