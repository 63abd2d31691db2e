// One process serving a workspace database at a time (`tandem serve` or the desktop app's API
// host): two would each think they own the runs they start, and cancel or resume each other's.
// A lock file beside the database names the owner's pid; a stale one (its process is gone) is
// taken over.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** The workspace is served by another live process, or its lock cannot be taken. */
export class WorkspaceLockError extends Error {
  override name = 'WorkspaceLockError';
}

export interface WorkspaceLock {
  file: string;
  release(): void;
}

export function lockWorkspace(dbPath: string): WorkspaceLock {
  const file = `${dbPath}.serve.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: 'wx' });
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
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(file);
      if (owner !== null && isAlive(owner)) {
        throw new WorkspaceLockError(`another \`tandem serve\` (pid ${owner}) is already serving ${dbPath}; stop it first, or serve another --db`);
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new WorkspaceLockError(`cannot take the lock ${file}`);
}

function ownerOf(file: string): number | null {
  try {
    const pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : null;
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
