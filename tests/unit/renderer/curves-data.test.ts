import { describe, expect, it } from 'vitest';
import type { CurvePoint } from '../../../renderer/src/api/types.ts';
import { curveTable } from '../../../renderer/src/views/run/curves-data.ts';

const pt = (strategy: string, seed: number, step: number, score: number | null, split = 'test'): CurvePoint => ({ strategy, seed, split, step, prefix: '', score });

describe('curveTable', () => {
  const points: CurvePoint[] = [
    // p -> w over two seeds: baseline, after p, after w
    pt('p -> w', 0, 0, 40),
    pt('p -> w', 1, 0, 44),
    pt('p -> w', 0, 1, 60),
    pt('p -> w', 1, 1, 70),
    pt('p -> w', 0, 2, 80),
    pt('p -> w', 1, 2, null), // seed 1's w step had no passing traces
    // p: one step only
    pt('p', 0, 0, 40),
    pt('p', 1, 0, 44),
    pt('p', 0, 1, 62),
    pt('p', 1, 1, 66),
    // another split, ignored
    pt('p', 0, 1, 5, 'dev'),
    pt('w', 0, 3, 99, 'dev'),
  ];

  it('makes one row per step with a mean per strategy and a column per seed', () => {
    const t = curveTable(points, 'test');
    expect(t.maxStep).toBe(2);
    expect(t.series).toEqual([
      { strategy: 'p -> w', key: 'm0', seedKeys: [{ seed: 0, key: 'm0s0' }, { seed: 1, key: 'm0s1' }] },
      { strategy: 'p', key: 'm1', seedKeys: [{ seed: 0, key: 'm1s0' }, { seed: 1, key: 'm1s1' }] },
    ]);
    expect(t.rows).toEqual([
      { step: 0, m0: 42, m0s0: 40, m0s1: 44, m1: 42, m1s0: 40, m1s1: 44 },
      { step: 1, m0: 65, m0s0: 60, m0s1: 70, m1: 64, m1s0: 62, m1s1: 66 },
      // the mean skips the seed without a score; p has no step 2, so no keys at all (the line stops)
      { step: 2, m0: 80, m0s0: 80, m0s1: null },
    ]);
    expect('m1' in t.rows[2]!).toBe(false);
  });

  it('gives a null mean when no seed has a score at a step', () => {
    const t = curveTable([pt('w', 0, 0, 50), pt('w', 0, 1, null)], 'test');
    expect(t.rows[1]).toEqual({ step: 1, m0: null, m0s0: null });
  });

  it('puts the y axis on round numbers around the values, within 0–100', () => {
    const t = curveTable(points, 'test'); // values 40..80 → 35..85, a 50-point span in steps of 10
    expect(t.yDomain).toEqual([35, 85]);
    expect(t.yTicks).toEqual([40, 50, 60, 70, 80]);
    const wide = curveTable([pt('p', 0, 0, 1), pt('p', 0, 1, 99)], 'test');
    expect(wide.yDomain).toEqual([0, 100]);
    expect(wide.yTicks).toEqual([0, 20, 40, 60, 80, 100]);
    const narrow = curveTable([pt('p', 0, 0, 71), pt('p', 0, 1, 74)], 'test');
    expect(narrow.yDomain).toEqual([65, 80]);
    expect(narrow.yTicks).toEqual([65, 70, 75, 80]);
  });

  it('has an empty table and a full axis for a split without points', () => {
    const t = curveTable(points, 'train');
    expect(t.series).toEqual([]);
    expect(t.rows).toEqual([{ step: 0 }]);
    expect(t.maxStep).toBe(0);
    expect(t.yDomain).toEqual([0, 100]);
    expect(t.yTicks).toEqual([0, 25, 50, 75, 100]);
  });
});
