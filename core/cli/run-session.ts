// What `tandem run` and `tandem resume` share: open the store and the runtime (starting the local
// engine if needed), draw progress, cancel on Ctrl-C, print the results, clean up.

import { setMaxListeners } from 'node:events';
import { checkFinishedRun, defaultCheckCalls, type DeterminismReport } from '../runner/determinism-check.ts';
import { finetuneDir, openRuntime, type Runtime } from '../runner/runtime.ts';
import type { ExperimentSpec } from '../runner/experiment-spec.ts';
import type { RunOptions, RunOutcome } from '../runner/run-experiment.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { lockWorkspace } from '../host/workspace-lock.ts';
import { openStore, storageErrorOf, type Store } from '../store/index.ts';
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
  /** What the workspace lock names to another process, e.g. "`tandem resume`"; default "`tandem run`". */
  holder?: string;
  /** The spec was built from this command line's flags (`tandem run`), not read back (`resume`). */
  lmFromCommandLine?: boolean;
}

export async function withRunSession(input: RunSessionInput, go: (options: RunOptions) => Promise<RunOutcome>): Promise<void> {
  // One writer per workspace: refused while `tandem serve`, the desktop app or another run holds it.
  mkdirSync(path.dirname(path.resolve(input.dbPath)), { recursive: true });
  const lock = lockWorkspace(input.dbPath, input.holder ?? '`tandem run`');
  let store: Store;
  try {
    store = openStore(input.dbPath);
  } catch (error) {
    lock.release();
    throw storageErrorOf(error, { file: input.dbPath }) ?? error;
  }
  let runtime: Runtime | null = null;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onSigint = () => {
    process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  let runId: number | null = null;
  try {
    const spec = typeof input.spec === 'function' ? input.spec(store) : input.spec;
    runtime = await openRuntime(spec, {
      libraryDir: resolveModelLibraryDir({ db: input.dbPath }),
      adapterRoot: finetuneDir(spec, store.file),
      lmFromCommandLine: input.lmFromCommandLine === true,
      onEngineEvent: (event) => {
        if (event.type === 'restarting') process.stderr.write(`\nthe engine died; restarting in ${event.delayMs} ms\n`);
      },
    });
    const progress = new ProgressView({ isTTY: Boolean(process.stderr.isTTY), write: (s) => process.stderr.write(s) });
    const outcome = await go({ store, runtime, signal: controller.signal, onEvent: (event) => {
        if (event.type === 'run-start') runId = event.runId;
        progress.handle(event);
      },
    });
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
  } catch (error) {
    // A full disk or a read-only file: one line saying so, and how to continue the run.
    throw storageErrorOf(error, { file: input.dbPath, runId }) ?? error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    // Cleanup must not hide why the run stopped (a full disk makes closing fail too).
    try {
      store.close();
    } catch {
      // the store's writes were committed or rolled back already; closing frees the handle
    }
    try {
      await runtime?.close();
    } finally {
      lock.release();
    }
  }
}

