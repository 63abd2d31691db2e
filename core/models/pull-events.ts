// What a pull reports while it works. Progress is a stream of byte counts (throttled); events are
// the things worth a line in a log: what was resolved, resumes, restarts, retries, finished files.
// Front ends receive both as they are, so their shapes are the contract's.

export type { PullEvent, PullProgress } from '../contract/models.ts';
