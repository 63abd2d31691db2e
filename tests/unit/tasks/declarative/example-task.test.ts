// The bundled example of a no-code task (examples/sentiment) reads, compiles and loads: 60
// reviews, 20 per split with each label in equal shares, and its metric scores the gold labels.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeclarativeTask } from '../../../../core/tasks/declarative/index.ts';
import { clampProtocol } from '../../../../core/tasks/protocol.ts';

const FILE = path.resolve(import.meta.dirname, '../../../../examples/sentiment/task.yaml');

describe('examples/sentiment', () => {
  it('compiles and loads into 20/20/20 stratified splits', async () => {
    const task = await loadDeclarativeTask(FILE);
    expect(task.name).toBe('product-sentiment');
    expect(task.createProgram().namedPredictors().map(([p, pred]) => [p, pred.signature.toString()])).toEqual([['stages[0]', 'review -> reasoning, sentiment']]);
    const splits = await task.load({ seed: 0 });
    expect([splits.train.length, splits.dev.length, splits.test.length]).toEqual([20, 20, 20]);
    expect(splits.warnings).toEqual([]);
    for (const split of [splits.train, splits.dev, splits.test]) {
      const labels = split.map((e) => String(e.labels.sentiment));
      expect(new Set(labels)).toEqual(new Set(['positive', 'negative', 'neutral']));
      expect(Math.max(...['positive', 'negative', 'neutral'].map((l) => labels.filter((x) => x === l).length))).toBeLessThanOrEqual(7);
    }
    const all = [...splits.train, ...splits.dev, ...splits.test];
    expect(new Set(all.map((e) => e.id)).size).toBe(60);
    const first = all.find((e) => e.id === 'rev-02')!;
    expect(first.inputs).toEqual({ review: 'Stopped charging after two weeks. Very disappointed.' });
    expect(task.metric.score(first, { sentiment: 'Negative.' })).toBe(1);
    expect(task.metric.score(first, { sentiment: 'neutral' })).toBe(0);
    expect(clampProtocol(task.protocol, splits.train.length)).toEqual({ train: 6, val: 14 });
  });
});
