// Plans the strategies of one experiment as a prefix tree: `p`, `p -> w` and `p -> w -> p` share
// their `p` stage, so each distinct prefix runs once per seed and branches start from its saved
// state. The paper's eight strategies need 7 stages and 3 fine-tunes per seed instead of 13 and 6.

import { formatStrategy, parseStrategy } from '../optimize/strategy.ts';

export interface TreeNode {
  /** Steps from the root, e.g. ['p', 'w']. The root (zero-shot baseline) has none. */
  steps: string[];
  /** `p -> w`; '' for the root. */
  key: string;
  /** The step this node adds; null for the root. */
  token: string | null;
  parentKey: string | null;
  children: TreeNode[];
}

export interface StrategyTree {
  root: TreeNode;
  /** Every non-root node, parents before children, in the order strategies were given. */
  nodes: TreeNode[];
  strategies: string[][];
}

/** The paper's Table 1 rows besides vanilla zero-shot (always run as the tree's root). */
export const PAPER_STRATEGIES = ['p', 'w', 'p -> p', 'w -> w', 'p -> w', 'w -> p', 'p -> w -> p'] as const;

/** `"p, w, p -> w"` → [['p'], ['w'], ['p', 'w']]; duplicates dropped, order kept. */
export function parseStrategyList(text: string, known: readonly string[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const part of text.split(',')) {
    const steps = parseStrategy(part, { known });
    const key = formatStrategy(steps);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(steps);
    }
  }
  return out;
}

export function planStrategyTree(strategies: readonly (readonly string[])[]): StrategyTree {
  const root: TreeNode = { steps: [], key: '', token: null, parentKey: null, children: [] };
  const byKey = new Map<string, TreeNode>([['', root]]);
  const nodes: TreeNode[] = [];
  for (const strategy of strategies) {
    let parent = root;
    for (let i = 0; i < strategy.length; i++) {
      const steps = strategy.slice(0, i + 1);
      const key = formatStrategy(steps);
      let node = byKey.get(key);
      if (!node) {
        node = { steps, key, token: strategy[i]!, parentKey: parent.key, children: [] };
        byKey.set(key, node);
        parent.children.push(node);
        nodes.push(node);
      }
      parent = node;
    }
  }
  return { root, nodes, strategies: strategies.map((s) => [...s]) };
}

/** Stages and fine-tunes per seed: as a tree, and if every strategy ran alone. */
export function treeCost(tree: StrategyTree, finetuneToken = 'w') {
  return {
    stages: tree.nodes.length,
    finetunes: tree.nodes.filter((n) => n.token === finetuneToken).length,
    stagesAlone: tree.strategies.reduce((n, s) => n + s.length, 0),
    finetunesAlone: tree.strategies.reduce((n, s) => n + s.filter((t) => t === finetuneToken).length, 0),
  };
}
