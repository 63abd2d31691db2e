// One process writing a workspace database at a time: `tandem serve`, the desktop app's API host,
// and `tandem run` / `resume` / `demo` each take this lock for as long as they run. Two writers
// would each think they own the runs they start, and cancel, resume or overwrite each other's.
// A lock file beside the database names the owner (what it is and its pid); a stale one (its
// process is gone) is taken over. Commands that only read (`tandem runs`, `report`) take none.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The workspace is used by another live process, or its lock cannot be taken. */
export class WorkspaceLockError extends Error {
  override name = 'WorkspaceLockError';
}

export interface WorkspaceLock {
  file: string;
  release(): void;
}

/** The lock file of a workspace database. */
export function workspaceLockFile(dbPath: string): string {
  return `${dbPath}.serve.lock`;
}

/**
 * Takes the workspace lock for `holder` (what the lock names to the next process, e.g.
 * "`tandem run`"), or throws a WorkspaceLockError naming the process that holds it.
 */
export function lockWorkspace(dbPath: string, holder = '`tandem serve`'): WorkspaceLock {
  const file = workspaceLockFile(dbPath);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() }), { flag: 'wx' });
      let released = false;
      return {
        file,
        release: () => {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw cannotWrite(file, code, error);
      const owner = ownerOf(file);
      if (owner !== null && isAlive(owner.pid)) {
        throw new WorkspaceLockError(
          `${dbPath} is in use by ${owner.holder} (pid ${owner.pid}${owner.since ? `, since ${owner.since}` : ''}); ` +
            'one process writes a workspace at a time: wait for it to finish or stop it, or use another --db',
        );
      }
      try {
        rmSync(file, { force: true }); // stale: its process is gone
      } catch (removing) {
        throw cannotWrite(file, (removing as NodeJS.ErrnoException).code, removing);
      }
    }
  }
  throw new WorkspaceLockError(`cannot take the workspace lock ${file}: another process keeps taking it`);
}

function cannotWrite(file: string, code: string | undefined, cause: unknown): WorkspaceLockError {
  const folder = path.dirname(file);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new WorkspaceLockError(`the workspace folder ${folder} is read-only (${code}): Tandem writes its database and lock there; make it writable or use another --db`, { cause });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return new WorkspaceLockError(`the disk is full (${code}) at ${folder}: free some space, then run the command again`, { cause });
  }
  return new WorkspaceLockError(`cannot take the workspace lock ${file} (${code ?? (cause as Error).message})`, { cause });
}

interface Owner {
  pid: number;
  holder: string;
  since: string | null;
}

function ownerOf(file: string): Owner | null {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; holder?: unknown; since?: unknown };
    if (typeof data.pid !== 'number') return null;
    return { pid: data.pid, holder: typeof data.holder === 'string' ? data.holder : 'another Tandem process', since: typeof data.since === 'string' ? data.since : null };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
