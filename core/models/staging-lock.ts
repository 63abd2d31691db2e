// One pull per model name at a time: a lock file holding the pulling process's id. A lock left by
// a process that died is taken over.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ModelLibraryError } from './errors.ts';

export interface StagingLock {
  release(): void;
}

export function lockStaging(lockFile: string, name: string): StagingLock {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      let alive = false;
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (probe) {
          alive = (probe as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive) throw new ModelLibraryError('busy', `another pull of "${name}" is running (process ${pid}); wait for it, or remove ${lockFile} if it is gone`);
      rmSync(lockFile, { force: true }); // left by a process that died
    }
  }
  throw new ModelLibraryError('busy', `cannot lock ${lockFile}`);
}
