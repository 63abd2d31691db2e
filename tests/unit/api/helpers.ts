// Shared by the API tests: a fresh workspace in a temp folder, an API on it with no ambient
// defaults (no TANDEM_MODEL, no demo model, no embedded models), and waiting for events.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApi, type Api, type ApiEvent, type ApiOptions } from '../../../core/api/index.ts';

export interface Workspace {
  dir: string;
  dbPath: string;
  api: Api;
  events: ApiEvent[];
  /** Resolves with the first event (already seen or still to come) that matches. */
  waitFor<T extends ApiEvent>(match: (event: ApiEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (event: ApiEvent) => boolean, timeoutMs?: number): Promise<ApiEvent>;
  close(): Promise<void>;
}

export function openWorkspace(options: Partial<ApiOptions> = {}): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-api-'));
  const dbPath = path.join(dir, 'tandem.db');
  const api = createApi({ dbPath, env: {}, hasDemoModel: () => false, embeddedModelsDir: null, libraryDir: path.join(dir, 'models'), ...options });
  const events: ApiEvent[] = [];
  api.subscribe((event) => events.push(event));
  const waitFor = (match: (event: ApiEvent) => boolean, timeoutMs = 30_000): Promise<ApiEvent> => {
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching event within ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-5))}`));
      }, timeoutMs);
      const off = api.subscribe((event) => {
        if (!match(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  };
  return {
    dir,
    dbPath,
    api,
    events,
    waitFor: waitFor as Workspace['waitFor'],
    async close() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The run's status events, in order. */
export function statuses(events: ApiEvent[], runId: number): string[] {
  return events.filter((e): e is Extract<ApiEvent, { type: 'run-status' }> => e.type === 'run-status' && e.runId === runId).map((e) => e.status);
}

export function runEnded(runId: number) {
  return (e: ApiEvent): e is Extract<ApiEvent, { type: 'run-status' }> =>
    e.type === 'run-status' && e.runId === runId && ['finished', 'failed', 'cancelled'].includes(e.status);
}

/** Rejects with the ApiError a call throws (fails the test when it does not throw). */
export async function apiError(promise: Promise<unknown>): Promise<{ code: string; message: string; issues?: Array<{ path: string; message: string }> }> {
  try {
    await promise;
  } catch (error) {
    return JSON.parse(JSON.stringify(error)) as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}
