import { TooFewExamplesError } from './split.ts';
import type { PromptOptProtocol } from './task.ts';

/**
 * The prompt optimizer's subsample sizes for a train split of `trainSize` examples. The paper
 * draws both the demo pool (`train`) and the validation subsample (`val`) from the train split
 * (Iris: 15 + 35 = its 50 training examples). When the split is smaller than train + val (e.g.
 * the bundled GSM8K sample), both shrink in the same proportion, keeping at least one of each.
 */
export function clampProtocol(protocol: PromptOptProtocol, trainSize: number): PromptOptProtocol {
  const wanted = protocol.train + protocol.val;
  if (wanted <= trainSize) return { ...protocol };
  if (trainSize < 2) throw new TooFewExamplesError(`a train split of ${trainSize} example(s) is too small for prompt optimization`);
  const train = Math.min(trainSize - 1, Math.max(1, Math.round((trainSize * protocol.train) / wanted)));
  return { train, val: trainSize - train };
}
