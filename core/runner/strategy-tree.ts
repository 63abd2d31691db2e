// What a strategy tree costs per seed, in stages and fine-tunes. The plan itself is the
// contract's (core/contract/strategy-tree.ts); which steps fine-tune is the step registry's.

import type { StrategyTree } from '../contract/strategy-tree.ts';
import { stepKind } from './steps/registry.ts';

/** Whether a registered step kind trains weights. */
const trainsWeights = (token: string): boolean => stepKind(token).info.needsFinetuner;

/** Stages and fine-tunes per seed: as a tree, and if every strategy ran alone. */
export function treeCost(tree: StrategyTree, isFinetune: (token: string) => boolean = trainsWeights) {
  return {
    stages: tree.nodes.length,
    finetunes: tree.nodes.filter((n) => n.token !== null && isFinetune(n.token)).length,
    stagesAlone: tree.strategies.reduce((n, s) => n + s.steps.length, 0),
    finetunesAlone: tree.strategies.reduce((n, s) => n + s.steps.filter(isFinetune).length, 0),
  };
}
