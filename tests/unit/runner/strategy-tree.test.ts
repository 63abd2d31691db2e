import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatStrategy, PAPER_STRATEGIES, parseStrategy, parseStrategyList, StrategyError, strategyOf } from '../../../core/contract/strategy.ts';
import { planStrategyTree } from '../../../core/contract/strategy-tree.ts';
import { treeCost } from '../../../core/runner/strategy-tree.ts';

const KNOWN = ['p', 'w'];

describe('planStrategyTree', () => {
  it('runs the paper\'s eight strategies as 7 stages and 3 fine-tunes per seed instead of 13 and 6', () => {
    const tree = planStrategyTree(PAPER_STRATEGIES.map((s) => parseStrategy(s, { known: KNOWN })));
    // Which steps fine-tune comes from the registry: `w` declares it needs a fine-tuner.
    expect(treeCost(tree)).toEqual({ stages: 7, finetunes: 3, stagesAlone: 13, finetunesAlone: 6 });
    expect(tree.nodes.map((n) => n.key)).toEqual(['p', 'w', 'p -> p', 'w -> w', 'p -> w', 'w -> p', 'p -> w -> p']);
    expect(tree.root.children.map((n) => n.key)).toEqual(['p', 'w']);
    const pw = tree.nodes.find((n) => n.key === 'p -> w')!;
    expect(pw.parentKey).toBe('p');
    expect(pw.children.map((n) => n.key)).toEqual(['p -> w -> p']);
  });

  it('orders parents before children and shares every common prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('p', 'w'), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), (strategies) => {
        const tree = planStrategyTree(strategies.map(strategyOf));
        const index = new Map(tree.nodes.map((n, i) => [n.key, i]));
        for (const node of tree.nodes) {
          if (node.parentKey) expect(index.get(node.parentKey)!).toBeLessThan(index.get(node.key)!);
        }
        const prefixes = new Set(strategies.flatMap((s) => s.map((_, i) => formatStrategy(s.slice(0, i + 1)))));
        expect(new Set(tree.nodes.map((n) => n.key))).toEqual(prefixes);
        const cost = treeCost(tree);
        expect(cost.stages).toBeLessThanOrEqual(cost.stagesAlone);
      }),
    );
  });
});

describe('strategy grammar', () => {
  it('round-trips any valid strategy, tolerating whitespace and →', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('p', 'w'), { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom(' ', '  ', '\t', ''), { minLength: 14, maxLength: 14 }), fc.boolean(), (steps, spaces, unicode) => {
        const arrow = unicode ? '→' : '->';
        const text = steps.map((s, i) => `${spaces[2 * i]}${s}${spaces[2 * i + 1]}`).join(arrow);
        expect(parseStrategy(text, { known: KNOWN })).toEqual({ steps, key: formatStrategy(steps) });
      }),
    );
  });

  it('rejects empty strategies, dangling or doubled arrows and unknown tokens, naming the problem', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '   ', '->', '-> p', 'p ->', 'p -> -> w', 'p -> x', 'P', 'pw', 'p - > w'), (bad) => {
        expect(() => parseStrategy(bad, { known: KNOWN })).toThrow(StrategyError);
      }),
    );
    expect(() => parseStrategy('p -> q', { known: KNOWN })).toThrow('unknown optimizer "q"; valid tokens: "p", "w"');
  });

  it('parses comma-separated strategy lists and drops duplicates', () => {
    expect(parseStrategyList('p, w , p -> w, p', { known: KNOWN }).map((s) => s.steps)).toEqual([['p'], ['w'], ['p', 'w']]);
    expect(() => parseStrategyList('p,,w', { known: KNOWN })).toThrow(/strategy is empty/);
  });
});
