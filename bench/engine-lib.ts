// Shared setup for the engine benchmarks: a random checkpoint of demo-model size made by the
// engine's own `make-tiny` (no pretrained weights exist offline), or TANDEM_BENCH_MODEL.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { makeTinyCheckpoint } from '../tests/helpers/engine.ts';
import { RESULTS_DIR } from './lib.ts';

/** ~11M parameters: the size class of the embedded demo model. */
export const BENCH_MODEL_ARGS = ['--hidden', '256', '--layers', '6', '--heads', '8', '--intermediate', '768', '--vocab-size', '4096', '--seed', '1'];

export async function benchModelDir(): Promise<string> {
  if (process.env.TANDEM_BENCH_MODEL) return process.env.TANDEM_BENCH_MODEL;
  const dir = path.join(RESULTS_DIR, '.cache', `engine-model-${BENCH_MODEL_ARGS.join('_').replace(/-/g, '')}`);
  if (!existsSync(path.join(dir, 'config.json'))) await makeTinyCheckpoint(dir, BENCH_MODEL_ARGS);
  return dir;
}
