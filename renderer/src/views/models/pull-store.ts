// Model pulls and copies as the window has seen them, built from the API's events. It lives at
// module level and stays subscribed once started, so a pull keeps its progress when the user
// leaves the Models view and comes back. (The API has no "list active pulls": a reloaded window
// sees a pull again from its next event, under the name the event carries.)
import { create } from 'zustand';
import { getClient, type ApiEvent } from '../../api/client.ts';
import type { TandemApi } from '../../api/types.ts';
import { bytes } from '../../components/format.ts';

type ModelProgressEvent = Extract<ApiEvent, { type: 'model-progress' }>;
type PullEvent = Extract<ApiEvent, { type: 'model-pull-event' }>['event'];
type PullEnd = Extract<ApiEvent, { type: 'model-pull-end' }>;

export type Progress = ModelProgressEvent['progress'] & { filesDone?: number; filesTotal?: number };

export interface Operation {
  operationId: number;
  kind: 'pull' | 'copy';
  repo: string | null;
  name: string;
  status: 'running' | 'finished' | 'failed' | 'cancelled';
  progress: Progress | null;
  /** Notable steps, newest last (at most LOG_LIMIT). */
  log: string[];
  error: string | null;
  startedAt: number;
  cancelling: boolean;
  /** What this window asked for (to resume or retry); null for a pull seen only through events. */
  input: PullInput | null;
}

const LOG_LIMIT = 40;

export type PullInput = Parameters<TandemApi['pullModel']>[0];

interface PullState {
  ops: Record<number, Operation>;
  /** Bumped when a pull ends, so the model list reloads. */
  endedCount: number;
  track(op: Pick<Operation, 'operationId' | 'kind' | 'repo' | 'name'>, input?: PullInput): void;
  setCancelling(operationId: number, cancelling: boolean): void;
  dismiss(operationId: number): void;
}

export const usePulls = create<PullState>((set) => ({
  ops: {},
  endedCount: 0,
  track(op, input) {
    // Events of the pull may have arrived before pullModel's answer: keep what they set.
    set((s) => {
      const seen = s.ops[op.operationId];
      const next = seen ? { ...seen, name: seen.name || op.name, repo: seen.repo ?? op.repo } : fresh(op);
      return { ops: { ...s.ops, [op.operationId]: { ...next, input: input ?? null } } };
    });
  },
  setCancelling(operationId, cancelling) {
    set((s) => (s.ops[operationId] ? { ops: { ...s.ops, [operationId]: { ...s.ops[operationId]!, cancelling } } } : s));
  },
  dismiss(operationId) {
    set((s) => {
      const ops = { ...s.ops };
      delete ops[operationId];
      return { ops };
    });
  },
}));

function fresh(op: Pick<Operation, 'operationId' | 'kind' | 'repo' | 'name'>): Operation {
  return { ...op, status: 'running', progress: null, log: [], error: null, startedAt: Date.now(), cancelling: false, input: null };
}

function update(operationId: number, seed: () => Operation, patch: (op: Operation) => Partial<Operation>): void {
  usePulls.setState((s) => {
    const op = s.ops[operationId] ?? seed();
    return { ops: { ...s.ops, [operationId]: { ...op, ...patch(op) } } };
  });
}

const mb = (n: number | null) => (n === null ? '? B' : bytes(n));

/** One line of the pull log per notable step (file names and reasons are plain text). */
export function describePullEvent(e: PullEvent): string {
  switch (e.type) {
    case 'resolved':
      return `resolved ${e.repo}@${e.revision} → ${e.sha.slice(0, 10)}: ${e.files.length} files, ${mb(e.totalBytes)}`;
    case 'up-to-date':
      return `already up to date at ${e.sha.slice(0, 10)}`;
    case 'skip':
      return `skip ${e.file}: ${e.reason}`;
    case 'file-start':
      return `get ${e.file} (${mb(e.size)})`;
    case 'resume':
      return `resume ${e.file} from ${mb(e.from)}`;
    case 'restart':
      return `restart ${e.file}: ${e.reason}`;
    case 'retry':
      return `retry ${e.file ?? ''} #${e.attempt} in ${(e.delayMs / 1000).toFixed(1)}s: ${e.reason}`;
    case 'file-done':
      return `done ${e.file} (${mb(e.size)}${e.reused ? ', reused' : ''})`;
  }
}

function onEvent(event: ApiEvent): void {
  if (event.type === 'model-progress') {
    const seed = () => fresh({ operationId: event.operationId, kind: event.kind, repo: null, name: event.name });
    update(event.operationId, seed, () => ({ progress: event.progress }));
  } else if (event.type === 'model-pull-event') {
    const seed = () => fresh({ operationId: event.operationId, kind: 'pull', repo: null, name: '' });
    update(event.operationId, seed, (op) => ({ log: [...op.log, describePullEvent(event.event)].slice(-LOG_LIMIT), ...(event.event.type === 'resolved' ? { repo: event.event.repo } : {}) }));
  } else if (event.type === 'model-pull-end') {
    ended(event);
  }
}

function ended(event: PullEnd): void {
  const seed = () => fresh({ operationId: event.operationId, kind: 'pull', repo: event.repo, name: event.entry?.name ?? '' });
  // The end is shown by the status badge and the error line, not in the log.
  update(event.operationId, seed, (op) => ({
    status: event.status,
    repo: event.repo,
    name: op.name || event.entry?.name || '',
    cancelling: false,
    error: event.status === 'cancelled' ? null : (event.error?.message ?? null),
  }));
  usePulls.setState((s) => ({ endedCount: s.endedCount + 1 }));
}

let subscribed = false;

/** Starts listening (once per window). */
export function ensurePullSubscription(): void {
  if (subscribed) return;
  subscribed = true;
  getClient().subscribe(onEvent);
}

/** Starts a pull and tracks it; a pull of a repo already pulled resumes from the kept files. */
export async function startPull(input: PullInput): Promise<void> {
  const op = await getClient().pullModel(input);
  usePulls.getState().track({ operationId: op.operationId, kind: 'pull', repo: op.repo, name: op.name }, input);
}
