import path from 'node:path';
import { resourcesDir } from '../util/resources-path.ts';

/** The folder holding the Python package `tandem_engine` (goes on PYTHONPATH). */
export function engineDir(): string {
  return path.join(resourcesDir(), 'engine');
}

/** Environment for engine subprocesses: the package on PYTHONPATH, BLAS threads tuned for 2+ cores. */
export function engineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const pythonPath = [engineDir(), base.PYTHONPATH].filter(Boolean).join(path.delimiter);
  // torch parallelizes matmuls itself; a second BLAS thread pool only oversubscribes the cores.
  // TANDEM_EXIT_WITH_PARENT: an engine or trainer orphaned by a crash of Tandem stops by itself.
  return { ...base, PYTHONPATH: pythonPath, OPENBLAS_NUM_THREADS: base.OPENBLAS_NUM_THREADS ?? '1', PYTHONUNBUFFERED: '1', TANDEM_EXIT_WITH_PARENT: '1' };
}
