import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockWorkspace } from '../../../core/host/workspace-lock.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lockWorkspace', () => {
  it('lets one server hold a database and names the holder to the next', () => {
    const db = path.join(dir, 'tandem.db');
    const lock = lockWorkspace(db);
    expect(existsSync(lock.file)).toBe(true);
    expect(() => lockWorkspace(db, '`tandem run`')).toThrow(new RegExp(`tandem\\.db is in use by \`tandem serve\` \\(pid ${process.pid}, since `));
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    lockWorkspace(db).release();
  });

  it('takes over a stale lock whose process is gone', () => {
    const db = path.join(dir, 'tandem.db');
    writeFileSync(`${db}.serve.lock`, JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const lock = lockWorkspace(db);
    expect(lock.file).toBe(`${db}.serve.lock`);
    lock.release();
  });
});

describe('lockWorkspace in a folder it cannot write', () => {
  it('says the folder is missing or read-only instead of failing with a bare errno', () => {
    const db = path.join(dir, 'no-such-folder', 'tandem.db');
    expect(() => lockWorkspace(db)).toThrow(/cannot take the workspace lock .*no-such-folder.*ENOENT/);
  });
});
