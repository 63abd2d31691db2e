// What `tandem run` and `tandem resume` share: open the store and the runtime (starting the local
// engine if needed), draw progress, cancel on Ctrl-C, print the results, clean up.

import { setMaxListeners } from 'node:events';
import { checkFinishedRun, defaultCheckCalls, type DeterminismReport } from '../runner/determinism-check.ts';
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
  /** Requests to send again after the run (checkDeterminism); absent: defaultCheckCalls(spec). */
  checkCalls?: number | undefined;
}

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
    const checkCalls = input.checkCalls ?? defaultCheckCalls(spec);
    let determinism: DeterminismReport | null = null;
    if (checkCalls > 0) {
      process.stderr.write(`checking determinism: sending ${checkCalls} of the run's requests again…\n`);
      try {
        determinism = await checkFinishedRun(outcome.runId, { store, runtime, calls: checkCalls, signal: controller.signal, attachAdapters: false });
      } catch (error) {
        // the run itself finished and is saved: say why the check did not, and still print the results
        process.stderr.write(`the determinism check did not finish: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    process.stdout.write(input.json ? `${JSON.stringify(jsonOutcome(outcome, store, determinism))}\n` : `${renderOutcome(outcome, determinism)}\n`);
  } finally {
    process.removeListener('SIGINT', onSigint);
    store.close();
    await runtime?.close();
  }
}

