// What `tandem run` and `tandem resume` share: open the store and the runtime (starting the local
// engine if needed), draw progress, cancel on Ctrl-C, print the results, clean up.

import { setMaxListeners } from 'node:events';
import { checkDeterminism, type DeterminismReport } from '../runner/determinism-check.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import type { ExperimentSpec } from '../runner/experiment-spec.ts';
import type { RunOptions, RunOutcome } from '../runner/run-experiment.ts';
import { openStore, type Store } from '../store/index.ts';
import { resolveModelLibraryDir } from './commands/models.ts';
import { ProgressView } from './progress.ts';
import { jsonOutcome, renderOutcome } from './results-view.ts';

export interface RunSessionInput {
  dbPath: string;
  json: boolean;
  /** The spec to open a runtime for; for a resume it is read from the store first. */
  spec: ExperimentSpec | ((store: Store) => ExperimentSpec);
  /** Requests to send again after the run (checkDeterminism); absent: REMOTE_CHECKED_CALLS on a remote server, none on the local engine. */
  checkCalls?: number | undefined;
}

/**
 * A run on a remote server ends with this many of its requests sent again: whether the server
 * honours seeds cannot be known otherwise. The local engine's guarantee is tested instead.
 */
export const REMOTE_CHECKED_CALLS = 8;

export async function withRunSession(input: RunSessionInput, go: (options: RunOptions) => Promise<RunOutcome>): Promise<void> {
  const store = openStore(input.dbPath);
  let runtime: Runtime | null = null;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onSigint = () => {
    process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  try {
    const spec = typeof input.spec === 'function' ? input.spec(store) : input.spec;
    runtime = await openRuntime(spec, {
      libraryDir: resolveModelLibraryDir({ db: input.dbPath }),
      onEngineEvent: (event) => {
        if (event.type === 'restarting') process.stderr.write(`\nthe engine died; restarting in ${event.delayMs} ms\n`);
      },
    });
    const progress = new ProgressView({ isTTY: Boolean(process.stderr.isTTY), write: (s) => process.stderr.write(s) });
    const outcome = await go({ store, runtime, signal: controller.signal, onEvent: (event) => progress.handle(event) });
    const checkCalls = input.checkCalls ?? (spec.lm.provider === 'local' ? 0 : REMOTE_CHECKED_CALLS);
    let determinism: DeterminismReport | null = null;
    if (checkCalls > 0) {
      process.stderr.write(`checking determinism: sending ${checkCalls} of the run's requests again…\n`);
      determinism = await checkDeterminism(outcome.runId, { store, runtime, calls: checkCalls, signal: controller.signal });
      store.runs.annotateSummary(outcome.runId, 'determinism', determinism);
    }
    process.stdout.write(input.json ? `${JSON.stringify(jsonOutcome(outcome, store, determinism))}\n` : `${renderOutcome(outcome, determinism)}\n`);
  } finally {
    process.removeListener('SIGINT', onSigint);
    store.close();
    await runtime?.close();
  }
}

