// What a pull reports while it works. Progress is a stream of byte counts (throttled); events are
// the things worth a line in a log: what was resolved, resumes, restarts, retries, finished files.

import type { TransferProgress } from './copy-files.ts';

/** Byte progress of a pull: the current file and the whole pull. `speed` is bytes/s over the last few seconds. */
export interface PullProgress extends TransferProgress {
  filesDone: number;
  filesTotal: number;
}

export type PullEvent =
  | { type: 'resolved'; repo: string; revision: string; sha: string; files: Array<{ name: string; size: number | null }>; totalBytes: number }
  | { type: 'up-to-date'; repo: string; sha: string; path: string }
  | { type: 'skip'; file: string; reason: string }
  | { type: 'file-start'; file: string; size: number | null }
  /** A partial download is continued from byte `from` (a Range request). */
  | { type: 'resume'; file: string; from: number }
  /** A partial download was thrown away and the file starts over. */
  | { type: 'restart'; file: string; reason: string }
  | { type: 'retry'; file: string | null; attempt: number; delayMs: number; reason: string }
  | { type: 'file-done'; file: string; size: number; sha256: string; downloaded: number; reused: boolean };
