import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainOfThought } from '../../../core/program/chain-of-thought.ts';
import type { Example } from '../../../core/program/example.ts';
import { buildGsm8kSample, gsm8kSampleIndices } from '../../../core/tasks/gsm8k-sample.ts';
import {
  GSM8KProgram,
  gsm8kTask,
  gsm8kTrainDevSizes,
  loadGsm8kFile,
  parseGsm8kAnswer,
} from '../../../core/tasks/gsm8k.ts';
import { clampProtocol } from '../../../core/tasks/protocol.ts';
import { bundledDatasetPath } from '../../../core/util/resources-path.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const officialDir = path.resolve(repoRoot, '../shared/data/gsm8k');
const haveOfficial = existsSync(path.join(officialDir, 'train.jsonl')) && existsSync(path.join(officialDir, 'test.jsonl'));
const officialReason = `official GSM8K files not found at ${officialDir} (../shared/data/gsm8k relative to the repo)`;

const ids = (examples: Example[]) => examples.map((e) => e.id);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'tandem-gsm8k-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function folderWith(name: string, train: string, test: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'train.jsonl'), train);
  await writeFile(path.join(dir, 'test.jsonl'), test);
  return dir;
}

const line = (question: string, answer: string) => JSON.stringify({ question, answer });

describe('parseGsm8kAnswer', () => {
  it.each([
    ['She makes 9 * 2 = $<<9*2=18>>18.\n#### 18', '18'],
    ['...\n#### 1,080', '1080'],
    ['...\n#### 109,200,000', '109200000'],
    ['...\n####  -3 ', '-3'],
    ['...\n#### 5.', '5'],
    ['#### 007', '7'],
    ['first #### 1\nthen\n#### 2', '2'],
  ])('%j -> %j', (solution, answer) => {
    expect(parseGsm8kAnswer(solution)).toBe(answer);
  });

  it.each([
    ['no marker', 'The answer is 18.', /no "#### <number>" line/],
    ['not an integer', 'x\n#### 2.5', /not an integer: "2.5"/],
    ['empty after the marker', 'x\n####', /not an integer: ""/],
  ])('rejects %s', (_, solution, message) => {
    expect(() => parseGsm8kAnswer(solution)).toThrow(message);
  });
});

describe('loadGsm8kFile', () => {
  it('keeps the question as input and answer + solution as labels, with positional ids', async () => {
    const file = path.join(tmp, 'two.jsonl');
    await writeFile(file, `${line('Q1?', 'a\n#### 1,000')}\n${line('Q2?', 'b\n#### 7')}\n`);
    expect(await loadGsm8kFile(file, 'train')).toEqual([
      { id: 'gsm8k-train-0000', inputs: { question: 'Q1?' }, labels: { answer: '1000', solution: 'a\n#### 1,000' } },
      { id: 'gsm8k-train-0001', inputs: { question: 'Q2?' }, labels: { answer: '7', solution: 'b\n#### 7' } },
    ]);
  });

  it('names the line and field of a solution without a final answer', async () => {
    const file = path.join(tmp, 'no-answer.jsonl');
    await writeFile(file, `${line('Q1?', '#### 1')}\n${line('Q2?', 'no final line')}\n`);
    await expect(loadGsm8kFile(file, 'test')).rejects.toThrow(`${file}, line 2 (field "answer"): the solution has no "#### <number>" line`);
  });

  it('names the line and field of a missing question', async () => {
    const file = path.join(tmp, 'no-question.jsonl');
    await writeFile(file, `${line('Q1?', '#### 1')}\n${JSON.stringify({ answer: '#### 2' })}\n`);
    await expect(loadGsm8kFile(file, 'test')).rejects.toThrow(`${file}, line 2 (field "question"): missing required field "question"`);
  });

  it('names line and column of malformed JSON', async () => {
    const file = path.join(tmp, 'bad-json.jsonl');
    await writeFile(file, `${line('Q1?', '#### 1')}\n{"question": "Q2?", "answer": }\n`);
    await expect(loadGsm8kFile(file, 'test')).rejects.toThrow(`${file}, line 2, column 31: invalid JSON`);
  });

  it('rejects duplicate ids', async () => {
    const file = path.join(tmp, 'dup.jsonl');
    const rec = JSON.stringify({ id: 'x', question: 'q', answer: '#### 1' });
    await writeFile(file, `${rec}\n${rec}\n`);
    await expect(loadGsm8kFile(file, 'train')).rejects.toThrow(`${file}, line 2 (field "id"): duplicate id "x" (first seen on line 1)`);
  });
});

describe('gsm8k task: bundled sample', () => {
  it('holds 200 train and 100 test problems with official ids', async () => {
    const train = await loadGsm8kFile(bundledDatasetPath('gsm8k', 'train.jsonl'), 'train');
    const test = await loadGsm8kFile(bundledDatasetPath('gsm8k', 'test.jsonl'), 'test');
    expect([train.length, test.length]).toEqual([200, 100]);
    expect(ids(train)).toEqual(gsm8kSampleIndices('train', 7473).map((i) => `gsm8k-train-${String(i).padStart(4, '0')}`));
    expect(ids(test)).toEqual(gsm8kSampleIndices('test', 1319).map((i) => `gsm8k-test-${String(i).padStart(4, '0')}`));
  });

  it('splits 133 / 67 / 100 (the paper 2:1 train:dev ratio), disjoint', async () => {
    const s = await gsm8kTask.load({ seed: 0 });
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([133, 67, 100]);
    expect(new Set([...ids(s.train), ...ids(s.dev), ...ids(s.test)]).size).toBe(300);
    expect(s.test.every((e) => e.id.startsWith('gsm8k-test-'))).toBe(true);
    expect([...s.train, ...s.dev].every((e) => e.id.startsWith('gsm8k-train-'))).toBe(true);
  });

  it('is deterministic per seed and differs across seeds; test keeps file order', async () => {
    const a = await gsm8kTask.load({ seed: 5 });
    const b = await gsm8kTask.load({ seed: 5 });
    const c = await gsm8kTask.load({ seed: 6 });
    expect(b).toEqual(a);
    expect(ids(c.train)).not.toEqual(ids(a.train));
    expect(ids(c.test)).toEqual(ids(a.test));
  });

  it('clamps the paper protocol to the sample', async () => {
    const s = await gsm8kTask.load({ seed: 0 });
    expect(gsm8kTask.protocol).toEqual({ train: 100, val: 250 });
    expect(clampProtocol(gsm8kTask.protocol, s.train.length)).toEqual({ train: 38, val: 95 });
  });
});

describe('gsm8k task: dataPath', () => {
  it('scales train/dev 2:1 when the train file has fewer than 1500 problems', () => {
    expect(gsm8kTrainDevSizes(7473)).toEqual({ train: 1000, dev: 500 });
    expect(gsm8kTrainDevSizes(1500)).toEqual({ train: 1000, dev: 500 });
    expect(gsm8kTrainDevSizes(200)).toEqual({ train: 133, dev: 67 });
    expect(gsm8kTrainDevSizes(2)).toEqual({ train: 1, dev: 1 });
    expect(() => gsm8kTrainDevSizes(1)).toThrow(/at least 2/);
  });

  it('reads a folder with train.jsonl and test.jsonl', async () => {
    const train = Array.from({ length: 9 }, (_, i) => line(`T${i}`, `#### ${i}`)).join('\n');
    const dir = await folderWith('tiny', train, line('X', '#### 1'));
    const s = await gsm8kTask.load({ seed: 0, dataPath: dir });
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([6, 3, 1]);
    expect(s.test[0]!.id).toBe('gsm8k-test-0000');
  });

  it('explains a dataPath that is a file or missing', async () => {
    const file = path.join(tmp, 'file.jsonl');
    await writeFile(file, line('Q', '#### 1'));
    await expect(gsm8kTask.load({ seed: 0, dataPath: file })).rejects.toThrow(/must be a folder holding the official train\.jsonl and test\.jsonl/);
    await expect(gsm8kTask.load({ seed: 0, dataPath: path.join(tmp, 'nowhere') })).rejects.toThrow(/nowhere: folder not found/);
    const half = path.join(tmp, 'half');
    await mkdir(half, { recursive: true });
    await writeFile(path.join(half, 'train.jsonl'), line('Q', '#### 1'));
    await expect(gsm8kTask.load({ seed: 0, dataPath: half })).rejects.toThrow(/test\.jsonl: file not found/);
  });
});

describe.skipIf(!haveOfficial)(haveOfficial ? 'gsm8k task: official files' : `gsm8k task: official files — skipped: ${officialReason}`, () => {
  it('splits 1000 / 500 / 1319 as in the paper, disjoint, test = official test', async () => {
    const s = await gsm8kTask.load({ seed: 0, dataPath: officialDir });
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([1000, 500, 1319]);
    expect(new Set([...ids(s.train), ...ids(s.dev)]).size).toBe(1500);
    expect(s.test[0]!.id).toBe('gsm8k-test-0000');
    expect(s.test[0]!.labels.answer).toBe('18');
    const again = await gsm8kTask.load({ seed: 0, dataPath: officialDir });
    expect(ids(again.train)).toEqual(ids(s.train));
    const other = await gsm8kTask.load({ seed: 1, dataPath: officialDir });
    expect(ids(other.train)).not.toEqual(ids(s.train));
  });

  it('parses every official answer, and the metric accepts each official solution text', async () => {
    for (const part of ['train', 'test'] as const) {
      const examples = await loadGsm8kFile(path.join(officialDir, `${part}.jsonl`), part);
      expect(examples).toHaveLength(part === 'train' ? 7473 : 1319);
      for (const ex of examples) {
        expect(ex.labels.answer).toMatch(/^-?\d+$/);
        expect(gsm8kTask.metric.score(ex, { answer: String(ex.labels.solution) })).toBe(1);
      }
    }
  });

  it('bundled sample ids and texts match the official files', async () => {
    const full = await loadGsm8kFile(path.join(officialDir, 'train.jsonl'), 'train');
    const byId = new Map(full.map((e) => [e.id, e]));
    const sample = await loadGsm8kFile(bundledDatasetPath('gsm8k', 'train.jsonl'), 'train');
    for (const ex of sample) expect(ex).toEqual(byId.get(ex.id));
    for (const part of ['train', 'test'] as const) {
      const rebuilt = await buildGsm8kSample(path.join(officialDir, `${part}.jsonl`), part);
      expect(rebuilt).toBe(await readFile(bundledDatasetPath('gsm8k', `${part}.jsonl`), 'utf8'));
    }
  });
});

describe('gsm8k task: program', () => {
  it('has one chain-of-thought predictor at path "predict": question -> reasoning, answer', () => {
    const program = gsm8kTask.createProgram();
    expect(program).toBeInstanceOf(GSM8KProgram);
    const named = program.namedPredictors();
    expect(named.map(([p]) => p)).toEqual(['predict']);
    const predictor = named[0]![1];
    expect(predictor).toBeInstanceOf(ChainOfThought);
    expect(predictor.signature.inputNames).toEqual(['question']);
    expect(predictor.signature.outputNames).toEqual(['reasoning', 'answer']);
    expect(predictor.signature.outputs.find((f) => f.name === 'answer')!.description).toMatch(/final numeric answer only/);
    expect(gsm8kTask.metric.name).toBe('gsm8k_integer');
  });
});
