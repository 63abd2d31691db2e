// Reliability: `tandem` pointed at a database it must not use — a file that is not SQLite, a
// damaged one, another application's SQLite file, one written by a newer Tandem — stops with one
// line naming the file and what to do, and leaves the file byte for byte as it was (no WAL switch,
// no migration, no journal left beside it).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestVersion, openStore } from '../../core/store/index.ts';
import { runCli } from '../helpers/cli.ts';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-rel-db-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `tandem run` and `tandem runs` on the file: each one line on stderr, exit 1, the file unchanged. */
async function expectRefused(file: string, pattern: RegExp): Promise<void> {
  const before = readFileSync(file);
  // The run's LM server is unreachable on purpose: the database is opened (and refused) first.
  const commands = [
    ['run', 'iris', '--strategy', 'p', '--lm', 'openai:m', '--base-url', 'http://127.0.0.1:9/v1', '--db', file],
    ['runs', '--db', file],
    ['resume', '1', '--db', file],
  ];
  for (const args of commands) {
    const result = await runCli(args);
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(pattern);
    expect(lines[0]).not.toMatch(/internal error/);
    expect(readFileSync(file).equals(before), `${args[0]} changed ${file}`).toBe(true);
    for (const suffix of ['-wal', '-shm', '-journal']) expect(existsSync(file + suffix), `${file}${suffix} left behind`).toBe(false);
  }
}

describe('reliability: opening a database Tandem must not use', () => {
  it('refuses a file that is not a SQLite database', async () => {
    const file = path.join(dir, 'notes.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    await expectRefused(file, /is not a SQLite database.*(another path|move this file)/);
  }, 60_000);

  it('refuses a damaged database', async () => {
    const file = path.join(dir, 'damaged.db');
    const store = openStore(file);
    store.experiments.create({ name: 'x', task: 'iris' });
    store.close();
    // Page 1 past the file header holds the schema table's b-tree header: scribble over it.
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 100, 4096);
    writeFileSync(file, bytes);
    await expectRefused(file, /is damaged.*(backup|move it away)/);
  }, 60_000);

  it("refuses another application's SQLite database (its own tables, no application id)", async () => {
    const file = path.join(dir, 'customers.db');
    const db = new Database(file);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')");
    db.close();
    await expectRefused(file, /not a Tandem database/);
  }, 60_000);

  it("refuses another application's SQLite database (a foreign application id)", async () => {
    const file = path.join(dir, 'other-app.db');
    const db = new Database(file);
    db.pragma('application_id = 1234');
    db.exec('CREATE TABLE t (x)');
    db.close();
    await expectRefused(file, /another application \(application_id 1234\)/);
  }, 60_000);

  it('refuses a database written by a newer Tandem', async () => {
    const file = path.join(dir, 'newer.db');
    openStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(latestVersion() + 1, 'from the future', 0);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    await expectRefused(file, new RegExp(`schema version ${latestVersion() + 1}.*newer Tandem.*Update Tandem`));
  }, 60_000);

  it('opens an older Tandem database that has its tables but no application id, and stamps the id', async () => {
    const file = path.join(dir, 'old.db');
    openStore(file).close();
    const db = new Database(file);
    db.pragma('application_id = 0');
    db.close();
    const result = await runCli(['runs', '--db', file]);
    expect(result.code, result.stderr).toBe(0);
    const check = new Database(file);
    expect(check.pragma('application_id', { simple: true })).toBe(0x546e646d);
    check.close();
  }, 60_000);
});
