import { describe, expect, it } from 'vitest';
import { clampProtocol } from '../../../core/tasks/protocol.ts';
import { shuffleSplit, stratifiedSplit, thirds } from '../../../core/tasks/split.ts';
import { Rng } from '../../../core/util/random.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('thirds', () => {
  it.each([
    [150, { train: 50, dev: 50, test: 50 }],
    [151, { train: 51, dev: 50, test: 50 }],
    [152, { train: 51, dev: 51, test: 50 }],
    [3, { train: 1, dev: 1, test: 1 }],
  ])('%d', (n, sizes) => {
    expect(thirds(n)).toEqual(sizes);
  });
});

describe('shuffleSplit', () => {
  it('cuts a seeded shuffle into disjoint splits of the asked sizes', () => {
    const s = shuffleSplit(range(20), { train: 10, dev: 5, test: 3 }, new Rng(1));
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([10, 5, 3]);
    expect(new Set([...s.train, ...s.dev, ...s.test]).size).toBe(18);
    expect(shuffleSplit(range(20), { train: 10, dev: 5, test: 3 }, new Rng(1))).toEqual(s);
  });

  it('refuses sizes beyond the items', () => {
    expect(() => shuffleSplit(range(5), { train: 3, dev: 2, test: 1 }, new Rng(1))).toThrow('splits need 6 items (3/2/1), only 5 given');
  });
});

describe('stratifiedSplit', () => {
  const items = range(150).map((i) => ({ i, cls: ['a', 'b', 'c'][Math.floor(i / 50)]! }));

  it('keeps every stratum in (nearly) its overall proportion in each split', () => {
    for (const seed of [0, 1, 2, 3, 42]) {
      const s = stratifiedSplit(items, (x) => x.cls, thirds(150), new Rng(seed));
      for (const split of [s.train, s.dev, s.test]) {
        expect(split).toHaveLength(50);
        for (const cls of ['a', 'b', 'c']) {
          const n = split.filter((x) => x.cls === cls).length;
          expect(n === 16 || n === 17).toBe(true);
        }
      }
    }
  });

  it('handles unbalanced strata', () => {
    const skewed = range(90).map((i) => ({ i, cls: i < 60 ? 'big' : 'small' }));
    const s = stratifiedSplit(skewed, (x) => x.cls, thirds(90), new Rng(7));
    for (const split of [s.train, s.dev, s.test]) {
      expect(split.filter((x) => x.cls === 'big')).toHaveLength(20);
    }
  });
});

describe('clampProtocol', () => {
  it('keeps the protocol when the train split is large enough', () => {
    expect(clampProtocol({ train: 15, val: 35 }, 50)).toEqual({ train: 15, val: 35 });
    expect(clampProtocol({ train: 100, val: 250 }, 1000)).toEqual({ train: 100, val: 250 });
  });

  it('shrinks both in proportion to fit a small train split', () => {
    expect(clampProtocol({ train: 100, val: 250 }, 133)).toEqual({ train: 38, val: 95 });
    expect(clampProtocol({ train: 15, val: 35 }, 2)).toEqual({ train: 1, val: 1 });
  });

  it('refuses a train split too small to hold both', () => {
    expect(() => clampProtocol({ train: 15, val: 35 }, 1)).toThrow(/too small/);
  });
});
