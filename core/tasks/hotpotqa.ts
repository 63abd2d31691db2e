// HotPotQA as the paper ran it: the multi-hop program (hotpotqa-program.ts), exact match after
// answer normalization, the paper's splits (train 1000 / dev 500 / test 1500, Π subsample
// 100 / 250) drawn seeded from the questions given, and intermediate checks (retrieval recall
// per hop, answer F1). Retrieval offline: a BM25 index of every given question's context
// paragraphs (the distractor setting's 10 per question), built in the workspace on first use.
// That corpus is far smaller and easier than the paper's (all Wikipedia 2017 abstracts behind a
// ColBERTv2 server), which `--retriever colbert:<url>` reaches.

import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatasetError } from '../datasets/errors.ts';
import { AnswerExactMatch } from '../evaluate/metrics/answer-match.ts';
import { example, type Example } from '../program/example.ts';
import { deriveSeed, Rng } from '../util/random.ts';
import { GOLD_TITLES, HOTPOTQA_CHECKS } from './hotpotqa-checks.ts';
import { bundledHotpotQAPath, hotpotPassages, loadHotpotQA, type HotpotQuestion } from './hotpotqa-data.ts';
import { MultiHopQA } from './hotpotqa-program.ts';
import { shuffleSplit, TooFewExamplesError, type SplitSizes } from './split.ts';
import type { Task, TaskLoadOptions, TaskRetrieval, TaskSplits } from './task.ts';

/** The paper's split sizes. */
export const HOTPOTQA_SPLITS: SplitSizes = { train: 1000, dev: 500, test: 1500 };

/** The index of the bundled questions' paragraphs. */
export const BUNDLED_INDEX = 'hotpotqa';

/** The paper's sizes when there are enough questions; otherwise scaled down in the same proportions. */
export function hotpotSplitSizes(available: number): SplitSizes {
  const wanted = HOTPOTQA_SPLITS.train + HOTPOTQA_SPLITS.dev + HOTPOTQA_SPLITS.test;
  if (available >= wanted) return { ...HOTPOTQA_SPLITS };
  if (available < 3) throw new TooFewExamplesError(`HotPotQA needs at least 3 questions to split into train/dev/test, found ${available}`);
  const train = Math.max(1, Math.floor((available * HOTPOTQA_SPLITS.train) / wanted));
  const dev = Math.max(1, Math.floor((available * HOTPOTQA_SPLITS.dev) / wanted));
  return { train, dev, test: available - train - dev };
}

/** A question as an example: the question in, the answer and the gold paragraphs' titles as labels. */
export function hotpotExample(q: HotpotQuestion): Example {
  return example(q.id, { question: q.question }, { answer: q.answer, [GOLD_TITLES]: q.supportingTitles });
}

/** The data files of a path: the file itself, or every .json / .jsonl (optionally .gz) file in a folder, sorted. */
function dataFiles(dataPath: string): string[] {
  if (!statSync(dataPath).isDirectory()) return [dataPath];
  const files = readdirSync(dataPath)
    .filter((name) => /\.jsonl?(\.gz)?$/i.test(name))
    .sort()
    .map((name) => path.join(dataPath, name));
  if (files.length === 0) throw new DatasetError('no .json or .jsonl files in this folder', { file: dataPath });
  return files;
}

export class HotpotQATask implements Task {
  readonly name = 'hotpotqa';
  readonly description =
    'HotPotQA multi-hop questions (distractor setting): two hops of query generation and retrieval, then the answer; exact match, with retrieval recall per hop.';
  readonly metric = new AnswerExactMatch();
  readonly protocol = { train: 100, val: 250 };
  readonly checks = HOTPOTQA_CHECKS;
  readonly retrieval: TaskRetrieval = {
    defaultIndex: (dataPath) => (dataPath === null ? BUNDLED_INDEX : `hotpotqa-${createHash('sha256').update(path.resolve(dataPath)).digest('hex').slice(0, 10)}`),
    corpus: async (dataPath) => hotpotPassages(await this.questions(dataPath)),
    describe: (dataPath) => `the context paragraphs of ${dataPath === null ? 'the bundled HotPotQA questions' : dataPath}`,
  };
  /** Loaded questions by file and modification time: every seed of a run reads the same file. */
  private readonly loaded = new Map<string, Promise<HotpotQuestion[]>>();

  createProgram(): MultiHopQA {
    return new MultiHopQA();
  }

  /** Every question of the data (the bundled file, or a file or folder given), in file order. */
  async questions(dataPath: string | null): Promise<HotpotQuestion[]> {
    const files = dataPath === null ? [bundledHotpotQAPath()] : dataFiles(dataPath);
    const all = await Promise.all(files.map((file) => this.load1(file)));
    const questions = all.flat();
    const seen = new Set<string>();
    for (const q of questions) {
      if (seen.has(q.id)) throw new DatasetError(`question id "${q.id}" occurs in more than one file`, { file: dataPath ?? files[0]! });
      seen.add(q.id);
    }
    return questions;
  }

  async load(options: TaskLoadOptions): Promise<TaskSplits> {
    const questions = await this.questions(options.dataPath ?? null);
    const sizes = hotpotSplitSizes(questions.length);
    const rng = new Rng(deriveSeed(options.seed, 'hotpotqa', 'split'));
    const splits = shuffleSplit(questions.map(hotpotExample), sizes, rng);
    const wanted = HOTPOTQA_SPLITS.train + HOTPOTQA_SPLITS.dev + HOTPOTQA_SPLITS.test;
    const warnings =
      questions.length < wanted
        ? [
            `HotPotQA: ${questions.length} questions given, fewer than the paper's ${wanted} (1000/500/1500); ` +
              `splits scaled to ${sizes.train}/${sizes.dev}/${sizes.test}`,
          ]
        : [];
    return { ...splits, warnings };
  }

  private load1(file: string): Promise<HotpotQuestion[]> {
    const key = `${path.resolve(file)}|${statSync(file).mtimeMs}`;
    let loading = this.loaded.get(key);
    if (!loading) {
      loading = loadHotpotQA(file);
      loading.catch(() => this.loaded.delete(key));
      this.loaded.set(key, loading);
    }
    return loading;
  }
}

export const hotpotqaTask = new HotpotQATask();
