// A definition's split sizes for a dataset of n examples: equal thirds by default (like Iris),
// else the sizes given, or fractions of n (when the fractions sum to 1, rounding leftovers go to
// train). Every split must hold at least one example.

import type { SplitsDefinition } from '../../contract/task-definition.ts';
import { DatasetError } from '../../datasets/errors.ts';
import { thirds, type SplitSizes } from '../split.ts';

export function declarativeSplitSizes(splits: SplitsDefinition | undefined, n: number, file: string): SplitSizes {
  let sizes: SplitSizes;
  if (!splits) {
    sizes = thirds(n);
  } else if ([splits.train, splits.dev, splits.test].every(Number.isInteger)) {
    sizes = { ...splits };
    const wanted = sizes.train + sizes.dev + sizes.test;
    if (wanted > n) {
      throw new DatasetError(`the splits ask for ${wanted} examples (${sizes.train}/${sizes.dev}/${sizes.test}), but the file has ${n}`, { file });
    }
  } else {
    const dev = Math.floor(n * splits.dev);
    const test = Math.floor(n * splits.test);
    const whole = Math.abs(splits.train + splits.dev + splits.test - 1) < 1e-9;
    sizes = { train: whole ? n - dev - test : Math.floor(n * splits.train), dev, test };
  }
  if (sizes.train < 1 || sizes.dev < 1 || sizes.test < 1) {
    throw new DatasetError(
      `${n} example(s) give splits of ${sizes.train}/${sizes.dev}/${sizes.test} (train/dev/test); every split needs at least 1 example`,
      { file },
    );
  }
  return sizes;
}
