import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatasetError } from '../../../core/datasets/index.ts';
import { ChainOfThought } from '../../../core/program/chain-of-thought.ts';
import type { Example } from '../../../core/program/example.ts';
import { bundledDatasetPath } from '../../../core/util/resources-path.ts';
import { IrisProgram, irisTask, loadIrisExamples } from '../../../core/tasks/iris.ts';
import type { TaskSplits } from '../../../core/tasks/task.ts';

const ids = (examples: Example[]) => examples.map((e) => e.id);
const allIds = (s: TaskSplits) => [...ids(s.train), ...ids(s.dev), ...ids(s.test)];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'tandem-iris-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('iris task: data', () => {
  it('bundles the 150-row CSV', async () => {
    const examples = await loadIrisExamples(bundledDatasetPath('iris', 'iris.csv'));
    expect(examples).toHaveLength(150);
    expect(examples[0]).toEqual({
      id: 'iris-000',
      inputs: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
      labels: { species: 'setosa' },
    });
    expect(examples[17]!.id).toBe('iris-017');
    expect(examples[149]!.id).toBe('iris-149');
    expect(examples[149]!.labels.species).toBe('virginica');
  });

  it('splits 50/50/50, disjoint, covering all 150', async () => {
    const s = await irisTask.load({ seed: 0 });
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([50, 50, 50]);
    expect(new Set(allIds(s)).size).toBe(150);
  });

  it('stratifies by species (16 or 17 of each per split)', async () => {
    const s = await irisTask.load({ seed: 3 });
    for (const split of [s.train, s.dev, s.test]) {
      for (const species of ['setosa', 'versicolor', 'virginica']) {
        const n = split.filter((e) => e.labels.species === species).length;
        expect([16, 17]).toContain(n);
      }
    }
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const a = await irisTask.load({ seed: 1 });
    const b = await irisTask.load({ seed: 1 });
    const c = await irisTask.load({ seed: 2 });
    expect(allIds(b)).toEqual(allIds(a));
    expect(b).toEqual(a);
    expect(ids(c.train)).not.toEqual(ids(a.train));
    expect(new Set(ids(c.train))).not.toEqual(new Set(ids(a.train)));
  });

  it('keeps ids tied to the CSV row whatever the seed', async () => {
    const rows = await loadIrisExamples(bundledDatasetPath('iris', 'iris.csv'));
    const byId = new Map(rows.map((e) => [e.id, e]));
    for (const seed of [0, 9]) {
      const s = await irisTask.load({ seed });
      for (const e of [...s.train, ...s.dev, ...s.test]) expect(e).toEqual(byId.get(e.id));
    }
  });

  it('accepts a dataPath CSV with the same header, including UCI-style species names', async () => {
    const lines = ['sepal_length,sepal_width,petal_length,petal_width,species'];
    for (let i = 0; i < 9; i++) lines.push(`5.${i},3.0,1.4,0.2,${['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'][i % 3]}`);
    const file = path.join(tmp, 'small.csv');
    await writeFile(file, lines.join('\n'));
    const s = await irisTask.load({ seed: 0, dataPath: file });
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([3, 3, 3]);
    expect(new Set(s.train.map((e) => e.labels.species))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
  });

  it('reports a bad measurement with line, column and field', async () => {
    const original = await readFile(bundledDatasetPath('iris', 'iris.csv'), 'utf8');
    const lines = original.split('\n');
    lines[5] = '5.0,abc,1.4,0.2,setosa';
    const file = path.join(tmp, 'bad-number.csv');
    await writeFile(file, lines.join('\n'));
    await expect(irisTask.load({ seed: 0, dataPath: file })).rejects.toThrow(
      `${file}, line 6, column 2 (field "sepal_width"): "abc" is not a number`,
    );
  });

  it('reports an unknown species with line, column and field', async () => {
    const file = path.join(tmp, 'bad-species.csv');
    await writeFile(file, 'sepal_length,sepal_width,petal_length,petal_width,species\n5,3,1,0.2,rose\n');
    await expect(irisTask.load({ seed: 0, dataPath: file })).rejects.toThrow(
      `${file}, line 2, column 5 (field "species"): unknown species "rose"; expected one of setosa, versicolor, virginica`,
    );
  });

  it('reports a missing column and a too-small file', async () => {
    const noSpecies = path.join(tmp, 'no-species.csv');
    await writeFile(noSpecies, 'sepal_length,sepal_width,petal_length,petal_width\n5,3,1,0.2\n');
    await expect(irisTask.load({ seed: 0, dataPath: noSpecies })).rejects.toThrow(/line 1: missing required column "species"/);
    const tiny = path.join(tmp, 'tiny.csv');
    await writeFile(tiny, 'sepal_length,sepal_width,petal_length,petal_width,species\n5,3,1,0.2,setosa\n');
    await expect(irisTask.load({ seed: 0, dataPath: tiny })).rejects.toThrow(DatasetError);
  });
});

describe('iris task: program and protocol', () => {
  it('has one chain-of-thought predictor at path "predict"', () => {
    const program = irisTask.createProgram();
    expect(program).toBeInstanceOf(IrisProgram);
    const named = program.namedPredictors();
    expect(named.map(([p]) => p)).toEqual(['predict']);
    const predictor = named[0]![1];
    expect(predictor).toBeInstanceOf(ChainOfThought);
    expect(predictor.signature.inputNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(predictor.signature.outputNames).toEqual(['reasoning', 'species']);
    for (const field of predictor.signature.inputs) expect(field.description).toMatch(/cm/);
    const species = predictor.signature.outputs.find((f) => f.name === 'species')!;
    expect(species.description).toMatch(/setosa.*versicolor.*virginica/);
    expect(predictor.signature.instructions).toMatch(/setosa, versicolor, or virginica/);
  });

  it('creates independent programs', () => {
    const a = irisTask.createProgram();
    const b = irisTask.createProgram();
    expect(a.namedPredictors()[0]![1]).not.toBe(b.namedPredictors()[0]![1]);
    const clone = a.clone();
    expect(clone).toBeInstanceOf(IrisProgram);
    expect(clone.namedPredictors().map(([p]) => p)).toEqual(['predict']);
  });

  it('uses the paper protocol and the species metric', () => {
    expect(irisTask.protocol).toEqual({ train: 15, val: 35 });
    expect(irisTask.metric.name).toBe('species_match');
    expect(irisTask.name).toBe('iris');
  });
});
