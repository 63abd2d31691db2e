// Runs started through the API execute in the background inside the API's process, one
// AbortController each. startRun creates the run row under the experiment (with the experiment's
// spec) and returns its id at once; the runner's runRecordedRun then takes it from there (same
// checks as the CLI's: strategies, task data, the server probe; same tree; same events).
//
// Whatever happens in the background — the runtime cannot open (no API key, the engine fails to
// start), the server is unreachable, the runner throws — ends with the run in a terminal status
// with the error, and a `run-status` event; nothing is thrown into the void.

import { setMaxListeners } from 'node:events';
import type { CancelledRun, RunHandle } from '../contract/api.ts';
import { resolveLMOptions } from '../lm/lm-config.ts';
import { ModelLibrary } from '../models/model-library.ts';
import { checkFinishedRun, defaultCheckCalls, describeDeterminism } from '../runner/determinism-check.ts';
import { resumableSpec, runRecordedRun } from '../runner/run-experiment.ts';
import { finetuneDir } from '../runner/runtime.ts';
import { specConfig, specFromConfig, type ExperimentSpec } from '../runner/experiment-spec.ts';
import type { RunEvent } from '../runner/events.ts';
import { isTerminal, storageErrorOf } from '../store/index.ts';
import type { ApiContext, RunRuntime } from './context.ts';
import { toRunProgress } from './event-translation.ts';
import { ApiError, conflict, messageOf, notFound } from './errors.ts';

interface ActiveRun {
  runId: number;
  experimentId: number;
  controller: AbortController;
  done: Promise<void>;
}

export class RunManager {
  private readonly active = new Map<number, ActiveRun>();

  constructor(private readonly ctx: ApiContext) {}

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  /** Ids of this experiment's runs that are active in this process. */
  activeRunsOf(experimentId: number): number[] {
    return [...this.active.values()].filter((r) => r.experimentId === experimentId).map((r) => r.runId);
  }

  activeRunIds(): number[] {
    return [...this.active.keys()];
  }

  /** Creates a run of the experiment and starts it in the background; returns once the row exists. */
  start(experimentId: number): RunHandle {
    const { store } = this.ctx;
    const experiment = store.experiments.get(experimentId);
    if (!experiment) throw notFound(`experiment ${experimentId} does not exist`);
    const spec = specFromConfig(experiment.config);
    if (!spec) throw conflict(`experiment ${experimentId} was not recorded by this version of Tandem, so it cannot be run; create a new experiment`);
    const running = this.activeRunsOf(experimentId);
    if (running.length > 0) throw conflict(`experiment ${experimentId} already has run ${running[0]} going; cancel it or wait for it to end`);
    this.precheck(spec);
    const runId = store.runs.create({
      experimentId,
      strategy: spec.strategies.join(', '),
      seed: spec.seeds[0]!,
      lm: { provider: spec.lm.provider, model: spec.lm.model, baseUrl: spec.lm.baseUrl },
      config: specConfig(spec),
    });
    this.launch(runId, experimentId, spec, true);
    return { runId, experimentId };
  }

  /** Continues a crashed, failed or cancelled run in the background. */
  resume(runId: number): RunHandle {
    const { store } = this.ctx;
    const run = store.runs.get(runId);
    if (!run) throw notFound(`run ${runId} does not exist`);
    if (this.active.has(runId)) throw conflict(`run ${runId} is already running`);
    if (run.status === 'finished') throw conflict(`run ${runId} already finished; nothing to resume`);
    const others = this.activeRunsOf(run.experimentId);
    if (others.length > 0) throw conflict(`experiment ${run.experimentId} already has run ${others[0]} going; cancel it or wait for it to end`);
    const spec = resumableSpec(store, runId); // a ResumeError becomes a conflict
    this.precheck(spec);
    // Accepted, not begun: the run reads `pending` until the runner starts it (or it fails to).
    store.runs.setStatus(runId, 'pending');
    this.launch(runId, run.experimentId, spec, false);
    return { runId, experimentId: run.experimentId };
  }

  /** Cancels an active run and waits until it has stopped; returns its final status. */
  async cancel(runId: number): Promise<CancelledRun> {
    const active = this.active.get(runId);
    if (!active) {
      const run = this.ctx.store.runs.get(runId);
      if (!run) throw notFound(`run ${runId} does not exist`);
      if (isTerminal(run.status)) throw conflict(`run ${runId} is not running (it is ${run.status})`);
      throw conflict(
        `run ${runId} is marked ${run.status} but this workbench is not running it (another Tandem process may be, or it was interrupted; resume it to continue)`,
      );
    }
    active.controller.abort();
    await active.done;
    return { runId, status: this.ctx.store.runs.get(runId)?.status ?? 'cancelled' };
  }

  /** Cancels every active run and waits for them to stop. */
  async cancelAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort();
    await Promise.all(runs.map((r) => r.done));
  }

  /**
   * The checks that cost nothing, made before a row is written or a run resumed: the LM settings
   * resolve (an API key for a remote server, a valid base URL) and a local model is in the
   * library. Reaching the server and loading the data happen in the background.
   */
  private precheck(spec: ExperimentSpec): void {
    if (spec.lm.provider === 'local') {
      const library = new ModelLibrary({ dir: this.ctx.libraryDir, ...(this.ctx.embeddedModelsDir !== undefined ? { embeddedDir: this.ctx.embeddedModelsDir } : {}) });
      try {
        library.resolveModel(spec.lm.model);
      } catch (error) {
        throw new ApiError('config', messageOf(error), { cause: error });
      }
      return;
    }
    resolveLMOptions({
      flags: { model: spec.lm.model, ...(spec.lm.baseUrl ? { baseUrl: spec.lm.baseUrl } : {}), ...(spec.lm.apiKeyEnv ? { apiKeyEnv: spec.lm.apiKeyEnv } : {}) },
      env: this.ctx.env,
    });
  }

  private launch(runId: number, experimentId: number, spec: ExperimentSpec, fresh: boolean): void {
    const { store, events } = this.ctx;
    const controller = new AbortController();
    // Every in-flight LM call listens on the run's signal.
    setMaxListeners(0, controller.signal);
    const entry: ActiveRun = { runId, experimentId, controller, done: Promise.resolve() };
    // How the run ended when the store could not record it (a full disk): still told to front ends.
    let unrecorded: { status: 'failed' | 'cancelled'; error: string } | null = null;
    this.active.set(runId, entry);
    events.emit({ type: 'run-status', runId, experimentId, status: 'pending', error: null });

    const emitRunEvent = (event: RunEvent) => {
      events.emit({ type: 'run-event', runId, event: toRunProgress(event) });
      if (event.type === 'run-start') events.emit({ type: 'run-status', runId, experimentId, status: 'running', error: null });
    };

    entry.done = (async () => {
      let runtime: RunRuntime | null = null;
      try {
        runtime = await this.ctx.openRuntime(spec, {
          libraryDir: this.ctx.libraryDir,
          adapterRoot: finetuneDir(spec, store.file),
          env: this.ctx.env as NodeJS.ProcessEnv,
          onEngineEvent: (event) => {
            if (event.type === 'restarting') emitRunEvent({ type: 'warning', message: `the engine died; restarting in ${event.delayMs} ms` });
          },
        });
        controller.signal.throwIfAborted();
        await runRecordedRun(runId, { store, runtime, signal: controller.signal, onEvent: emitRunEvent }, !fresh);
        await this.checkDeterminism(runId, spec, runtime, controller.signal, emitRunEvent);
      } catch (error) {
        // The runner records its own end once it has begun; before that (runtime, probe, data) it is ours to record.
        unrecorded = this.recordEnd(runId, controller.signal.aborted, error);
      } finally {
        try {
          await runtime?.close();
        } catch {
          // The engine is gone either way; the run's outcome is already recorded.
        }
        this.active.delete(runId);
        const run = store.runs.get(runId);
        events.emit({ type: 'run-status', runId, experimentId, status: unrecorded?.status ?? run?.status ?? 'failed', error: unrecorded?.error ?? run?.error ?? null });
      }
    })();
  }

  /** A remote server's run ends with a determinism check kept in its summary; its failure fails nothing. */
  private async checkDeterminism(runId: number, spec: ExperimentSpec, runtime: RunRuntime, signal: AbortSignal, emit: (event: RunEvent) => void): Promise<void> {
    const calls = defaultCheckCalls(spec);
    if (calls === 0) return;
    try {
      const report = await checkFinishedRun(runId, { store: this.ctx.store, runtime, calls, signal, attachAdapters: false });
      if (report.differing > 0) emit({ type: 'warning', message: describeDeterminism(report) });
    } catch (error) {
      emit({ type: 'warning', message: `the determinism check failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** Records how the run ended; returns it when the store could not (a full disk), else null. */
  private recordEnd(runId: number, cancelled: boolean, error: unknown): { status: 'failed' | 'cancelled'; error: string } | null {
    const { store } = this.ctx;
    const run = store.runs.get(runId);
    if (!run || isTerminal(run.status)) return null;
    const status = cancelled ? 'cancelled' : 'failed';
    const message = cancelled ? 'cancelled' : (storageErrorOf(error, { file: store.file, runId })?.message ?? messageOf(error));
    let unrecorded: { status: 'failed' | 'cancelled'; error: string } | null = null;
    try {
      store.runs.setStatus(runId, status, message);
    } catch (writing) {
      // The run stays `running` in the store, which resume accepts; this process keeps serving.
      unrecorded = { status, error: storageErrorOf(writing, { file: store.file, runId })?.message ?? message };
    }
    this.ctx.events.emit({ type: 'run-event', runId, event: { type: 'run-end', runId, status, error: unrecorded?.error ?? message } });
    return unrecorded;
  }
}
