import { describe, expect, it } from 'vitest';
import type { StageSummary } from '../../../renderer/src/api/types.ts';
import { buildTrees, estimateEta, flatten, plannedPrefixes } from '../../../renderer/src/views/run/plan.ts';

let nextId = 1;
function stage(seed: number, prefix: string, kind: string, status: StageSummary['status'], startedAt = 0, finishedAt: number | null = null): StageSummary {
  return { id: nextId++, runId: 1, parentStageId: null, kind, prefix, seed, status, modelId: null, scores: null, error: null, outcome: null, startedAt, finishedAt };
}

describe('plannedPrefixes', () => {
  it('lists every prefix once, parents first, baseline first', () => {
    expect(plannedPrefixes(['p -> w -> p', 'w', 'p -> w', 'p'])).toEqual(['', 'p', 'p -> w', 'p -> w -> p', 'w']);
    expect(plannedPrefixes([])).toEqual(['']);
  });
});

describe('buildTrees', () => {
  it('builds one tree per seed with shared prefixes once and recorded stages attached', () => {
    const s0p = stage(0, 'p', 'p', 'finished', 0, 10);
    const s0base = stage(0, '', 'baseline', 'finished', 0, 1);
    const trees = buildTrees(['p -> w', 'p'], [0, 1], [s0base, s0p]);
    expect(trees.map((t) => t.seed)).toEqual([0, 1]);
    const [t0, t1] = trees;
    expect(t0!.prefix).toBe('');
    expect(t0!.kind).toBe('baseline');
    expect(t0!.stage).toBe(s0base);
    expect(t0!.children.map((c) => c.prefix)).toEqual(['p']);
    const p = t0!.children[0]!;
    expect(p.stage).toBe(s0p);
    expect(p.depth).toBe(1);
    expect(p.children.map((c) => [c.prefix, c.kind, c.depth, c.stage])).toEqual([['p -> w', 'w', 2, null]]);
    // seed 1 has nothing recorded yet: all planned, no stages
    expect(flatten(t1!).map((r) => [r.node.prefix, r.node.stage])).toEqual([
      ['', null],
      ['p', null],
      ['p -> w', null],
    ]);
  });

  it('adds recorded stages the plan does not know, and seeds that are not planned', () => {
    const extra = stage(0, 'w -> w', 'w', 'running');
    const other = stage(5, '', 'baseline', 'finished', 0, 1);
    const trees = buildTrees(['w'], [0], [extra, other]);
    expect(trees.map((t) => t.seed)).toEqual([0, 5]);
    const w = trees[0]!.children.find((c) => c.prefix === 'w')!;
    expect(w.children.map((c) => c.stage)).toEqual([extra]);
    expect(trees[1]!.stage).toBe(other);
  });
});

describe('flatten', () => {
  it('walks depth-first and marks which ancestors are last children (for the tree guides)', () => {
    const [tree] = buildTrees(['p -> w', 'p -> p', 'w'], [0], []);
    const rows = flatten(tree!).map((r) => `${r.node.prefix || 'base'}:${r.last.map((l) => (l ? 1 : 0)).join('')}`);
    expect(rows).toEqual(['base:', 'p:0', 'p -> w:00', 'p -> p:01', 'w:1']);
  });
});

describe('estimateEta', () => {
  const S = 1000;

  it('costs planned stages by the mean duration of finished stages of their kind, and the running one by its progress', () => {
    const base0 = stage(0, '', 'baseline', 'finished', 0, 10 * S);
    const p0 = stage(0, 'p', 'p', 'finished', 10 * S, 110 * S);
    const base1 = stage(1, '', 'baseline', 'running', 200 * S);
    const eta = estimateEta(['p'], [0, 1], [base0, p0, base1], [{ stageId: base1.id, fraction: 0.5 }], 204 * S);
    // running baseline: 4 s elapsed at 50 % → 8 s in all, 4 s left; seed 1's p: 100 s (the finished p)
    expect(eta).toEqual({ done: 2, total: 4, remainingMs: 104 * S, untimed: [] });
  });

  it('prefers the kind history over a noisy early progress fraction', () => {
    const base0 = stage(0, '', 'baseline', 'finished', 0, 10 * S);
    const base1 = stage(1, '', 'baseline', 'running', 100 * S);
    // 1 s in at 5 %: extrapolation says 20 s, the finished baseline 10 s → 9 s left
    const eta = estimateEta([], [0, 1], [base0, base1], [{ stageId: base1.id, fraction: 0.05 }], 101 * S);
    expect(eta.remainingMs).toBe(9 * S);
  });

  it('reports kinds no finished stage has timed, and null while nothing can be estimated', () => {
    const base0 = stage(0, '', 'baseline', 'finished', 0, 10 * S);
    const lowerBound = estimateEta(['w'], [0, 1], [base0], [], 50 * S);
    expect(lowerBound.untimed).toEqual(['w']);
    expect(lowerBound.remainingMs).toBe(10 * S); // seed 1's baseline only
    const none = estimateEta(['p'], [0], [], [], 0);
    expect(none).toEqual({ done: 0, total: 2, remainingMs: null, untimed: ['baseline', 'p'] });
  });

  it('packs the seeds onto as many lanes as run at once, running seeds first', () => {
    // seeds 0 and 1 running their p stages (each 100 s, half done), seed 2 not started
    const base = [0, 1, 2].map((seed) => stage(seed, '', 'baseline', 'finished', 0, 10 * S));
    const p0 = stage(0, 'p', 'p', 'running', 10 * S);
    const p1 = stage(1, 'p', 'p', 'running', 10 * S);
    const running = [
      { stageId: p0.id, fraction: 0.5 },
      { stageId: p1.id, fraction: 0.5 },
    ];
    const stages = [...base, p0, p1];
    const at = 60 * S; // 50 s elapsed at 50 %: 50 s left each; seed 2's p costs 100 s
    expect(estimateEta(['p'], [0, 1, 2], stages, running, at, 1).remainingMs).toBe(200 * S); // one after another
    expect(estimateEta(['p'], [0, 1, 2], stages, running, at, 2).remainingMs).toBe(150 * S); // seed 2 follows the first to end
    expect(estimateEta(['p'], [0, 1, 2], stages, running, at, 3).remainingMs).toBe(100 * S); // all at once: the longest seed
  });

  it('is done with nothing left when every planned stage finished', () => {
    const stages = [stage(0, '', 'baseline', 'finished', 0, S), stage(0, 'p', 'p', 'finished', S, 3 * S)];
    expect(estimateEta(['p'], [0], stages, [], 10 * S)).toEqual({ done: 2, total: 2, remainingMs: 0, untimed: [] });
  });
});
