// Plans the strategies of one experiment as a prefix tree: `p`, `p -> w` and `p -> w -> p` share
// their `p` stage, so each distinct prefix runs once per seed and branches start from its saved
// state. The paper's eight strategies need 7 stages and 3 fine-tunes per seed instead of 13 and 6.
// The runner runs this plan; the workbench draws it before the stages exist.
//
// Pure TypeScript on the strategy grammar: no Node, SQLite or React.

import { prefixesOf, type Strategy } from './strategy.ts';

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
  strategies: Strategy[];
}

export function planStrategyTree(strategies: readonly Strategy[]): StrategyTree {
  const root: TreeNode = { steps: [], key: '', token: null, parentKey: null, children: [] };
  const byKey = new Map<string, TreeNode>([['', root]]);
  const nodes: TreeNode[] = [];
  for (const strategy of strategies) {
    let parent = root;
    for (const prefix of prefixesOf(strategy)) {
      let node = byKey.get(prefix.key);
      if (!node) {
        node = { steps: [...prefix.steps], key: prefix.key, token: prefix.steps[prefix.steps.length - 1]!, parentKey: parent.key, children: [] };
        byKey.set(prefix.key, node);
        parent.children.push(node);
        nodes.push(node);
      }
      parent = node;
    }
  }
  return { root, nodes, strategies: [...strategies] };
}
