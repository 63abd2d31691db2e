// The API's event stream: every RunEvent of a run started or resumed through the API (tagged with
// its run id), run status changes, experiment list changes and model pull/copy progress. Events
// are plain JSON, so a transport can send them as they are (IPC messages, Server-Sent Events).
//
// Listeners run synchronously in the order they subscribed; one that throws is reported to
// `onListenerError` and does not stop the others (nor the run that emitted the event).

import type { PullEvent, PullProgress } from '../models/hub-pull.ts';
import type { ModelEntry } from '../models/model-library.ts';
import type { TransferProgress } from '../models/copy-files.ts';
import type { RunEvent } from '../runner/events.ts';
import type { RunStatus } from '../store/index.ts';
import type { ApiErrorJson } from './errors.ts';

export type ApiEvent =
  /** A runner event of an active run, in the order the runner emitted it (run-start … run-end). */
  | { type: 'run-event'; runId: number; event: RunEvent }
  /**
   * A run's status changed: `pending` when startRun/resumeRun accepted it, `running` when the
   * runner began, then its end (`finished`, `failed`, `cancelled`) once the API has released
   * the run (its local engine stopped, a new start or resume possible).
   */
  | { type: 'run-status'; runId: number; experimentId: number; status: RunStatus; error: string | null }
  | { type: 'experiment-created'; experimentId: number }
  | { type: 'experiment-deleted'; experimentId: number }
  /** Byte progress of a model pull (throttled by the puller) or of a copying addModel. */
  | { type: 'model-progress'; operationId: number; kind: 'pull' | 'copy'; name: string; progress: PullProgress | TransferProgress }
  /** A notable step of a pull: resolved commit, resumed or finished file, retry, … */
  | { type: 'model-pull-event'; operationId: number; event: PullEvent }
  | { type: 'model-pull-end'; operationId: number; repo: string; status: 'finished' | 'failed' | 'cancelled'; entry: ModelEntry | null; error: ApiErrorJson | null };

export type ApiEventType = ApiEvent['type'];

export type ApiEventListener = (event: ApiEvent) => void;

export class EventHub {
  private readonly listeners = new Set<ApiEventListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Adds a listener; the returned function removes it (calling it twice is harmless). */
  subscribe(listener: ApiEventListener): () => void {
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry: ApiEventListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  emit(event: ApiEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
