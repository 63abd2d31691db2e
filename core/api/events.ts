// The API's event stream: the progress of every run started or resumed through the API (the
// runner's events translated into the contract's, tagged with the run id), run status changes,
// experiment list changes and model pull/copy progress. Events are plain JSON, so a transport can
// send them as they are (IPC messages, Server-Sent Events).
//
// Listeners run synchronously in the order they subscribed; one that throws is reported to
// `onListenerError` and does not stop the others (nor the run that emitted the event).

import type { ApiEvent, ApiEventListener } from '../contract/events.ts';

export type { ApiEvent, ApiEventListener, ApiEventType } from '../contract/events.ts';

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
