// GSM8K: grade-school math word problems, answered with one integer. Reads the official JSONL
// (`{"question", "answer"}`, the answer being a worked solution ending in `#### <number>`).
//
// Splits (paper: 1000 / 500 / 1319): train and dev are carved from a seeded shuffle of the
// official train file (1000 + 500 when it has at least 1500 problems, otherwise its problems in
// a 2:1 ratio); test is the whole official test file in file order. The bundled sample (200
// train + 100 test problems, see resources/datasets/gsm8k/README.md) therefore gives 133 / 67 / 100.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, optionalString, readJsonl, requireString } from '../datasets/index.ts';
import { Gsm8kIntegerMatch } from '../evaluate/metrics/gsm8k-integer.ts';
import { ChainOfThought } from '../program/chain-of-thought.ts';
import type { CallContext } from '../program/context.ts';
import { example, type Example, type FieldValue, type Prediction } from '../program/example.ts';
import { Module } from '../program/module.ts';
import { signature, type Signature } from '../program/signature.ts';
import { deriveSeed, Rng } from '../util/random.ts';
import { bundledDatasetPath } from '../util/resources-path.ts';
import { TooFewExamplesError } from './split.ts';
import type { Task, TaskLoadOptions, TaskSplits } from './task.ts';

export type Gsm8kPart = 'train' | 'test';

export const GSM8K_PAPER_SIZES = { train: 1000, dev: 500, test: 1319 } as const;

export function gsm8kSignature(): Signature {
  return signature()
    .input('question', 'A grade-school math word problem.')
    .output('answer', 'The final numeric answer only: a single number, without units or explanation.')
    .instructions(
      'Solve the math word problem. Work it out step by step, then give the final answer as a single number.',
    )
    .build();
}

/** One chain-of-thought predictor: question -> reasoning, answer. */
export class GSM8KProgram extends Module {
  predict = new ChainOfThought(gsm8kSignature());

  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    return this.predict.forward(inputs, ctx);
  }
}

/**
 * The gold answer of an official solution: the number after its last `####`, as an integer
 * string with thousands separators removed (`#### 1,080` -> `"1080"`). Throws when there is none.
 */
export function parseGsm8kAnswer(solution: string): string {
  const marker = solution.lastIndexOf('####');
  if (marker < 0) throw new Error('the solution has no "#### <number>" line with the final answer');
  const raw = solution.slice(marker + 4).split('\n')[0]!.trim();
  const cleaned = raw.replace(/[,$\s]/g, '').replace(/\u2212/g, '-').replace(/\.$/, '');
  if (!/^-?\d+$/.test(cleaned)) throw new Error(`the final answer after "####" is not an integer: ${JSON.stringify(raw)}`);
  return String(Number(cleaned));
}

/** Id of the problem at zero-based `index` of the official file `part`. */
export function gsm8kId(part: Gsm8kPart, index: number): string {
  return `gsm8k-${part}-${String(index).padStart(4, '0')}`;
}

/**
 * Reads one GSM8K JSONL file. Each example: inputs `{question}`, labels `{answer, solution}`
 * where `answer` is the final integer as a string and `solution` the official worked solution
 * (kept for reference; deliberately not named `reasoning`, so labeled demos do not pass the
 * dataset's calculator-annotated text off as the model's chain of thought). Ids come from an
 * `id` field when the record has one (the bundled sample), else from the line's position.
 */
export async function loadGsm8kFile(file: string, part: Gsm8kPart): Promise<Example[]> {
  const records = await readJsonl(file);
  const seen = new Map<string, number>();
  return records.map((record, index) => {
    const question = requireString(file, record, 'question');
    const solution = requireString(file, record, 'answer');
    const id = optionalString(file, record, 'id') ?? gsm8kId(part, index);
    const previous = seen.get(id);
    if (previous !== undefined) {
      throw new DatasetError(`duplicate id "${id}" (first seen on line ${previous})`, { file, line: record.line, field: 'id' });
    }
    seen.set(id, record.line);
    let answer: string;
    try {
      answer = parseGsm8kAnswer(solution);
    } catch (error) {
      throw new DatasetError((error as Error).message, { file, line: record.line, field: 'answer' });
    }
    return example(id, { question }, { answer, solution });
  });
}

/** Train/dev sizes carved from a pool of official training problems. */
export function gsm8kTrainDevSizes(pool: number): { train: number; dev: number } {
  const { train, dev } = GSM8K_PAPER_SIZES;
  if (pool >= train + dev) return { train, dev };
  if (pool < 2) throw new TooFewExamplesError(`GSM8K needs at least 2 training problems to make train and dev splits, found ${pool}`);
  const trainSize = Math.min(pool - 1, Math.max(1, Math.round((pool * 2) / 3)));
  return { train: trainSize, dev: pool - trainSize };
}

async function resolveFiles(dataPath: string | undefined): Promise<{ train: string; test: string }> {
  const folder = dataPath ?? bundledDatasetPath('gsm8k');
  const info = await stat(folder).catch(() => null);
  if (info === null) throw new DatasetError('folder not found; expected a folder holding train.jsonl and test.jsonl', { file: folder });
  if (!info.isDirectory()) {
    throw new DatasetError('GSM8K data must be a folder holding the official train.jsonl and test.jsonl, not a file', {
      file: folder,
    });
  }
  return { train: path.join(folder, 'train.jsonl'), test: path.join(folder, 'test.jsonl') };
}

export class Gsm8kTask implements Task {
  readonly name = 'gsm8k';
  readonly description =
    'GSM8K grade-school math: solve a word problem, scored by the last number in the answer (paper splits 1000/500/1319).';
  readonly metric = new Gsm8kIntegerMatch();
  /** The paper's subsample; a smaller train split (the bundled sample) needs `clampProtocol`. */
  readonly protocol = { train: 100, val: 250 };

  createProgram(): GSM8KProgram {
    return new GSM8KProgram();
  }

  async load(options: TaskLoadOptions): Promise<TaskSplits> {
    const files = await resolveFiles(options.dataPath);
    const pool = await loadGsm8kFile(files.train, 'train');
    const test = await loadGsm8kFile(files.test, 'test');
    const trainIds = new Set(pool.map((ex) => ex.id));
    const clash = test.find((ex) => trainIds.has(ex.id));
    if (clash) throw new DatasetError(`id "${clash.id}" appears in both train.jsonl and test.jsonl`, { file: files.test, field: 'id' });
    const sizes = gsm8kTrainDevSizes(pool.length);
    const shuffled = new Rng(deriveSeed(options.seed, 'gsm8k', 'split')).shuffle(pool);
    return {
      train: shuffled.slice(0, sizes.train),
      dev: shuffled.slice(sizes.train, sizes.train + sizes.dev),
      test,
    };
  }
}

export const gsm8kTask = new Gsm8kTask();
