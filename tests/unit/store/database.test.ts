import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, StoreError, latestVersion, openStore } from '../../../core/store/index.ts';
import { BUSY_TIMEOUT_MS, openDatabase } from '../../../core/store/database.ts';
import { tempDir } from './helpers.ts';

describe('openStore: file, pragmas and migrations', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const inspect = <T>(file: string, fn: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  it('creates the parent folder and a migrated database in WAL mode', () => {
    const file = path.join(dir, 'a', 'b', 'tandem.db');
    const store = openStore(file);
    expect(existsSync(file)).toBe(true);
    store.experiments.create({ name: 'x', task: 'iris' });
    store.close();
    inspect(file, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(versions).toEqual(Array.from({ length: latestVersion() }, (_, i) => i + 1));
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
      for (const t of ['experiments', 'runs', 'stages', 'candidates', 'evaluations', 'example_results', 'traces', 'lm_calls', 'lm_call_bodies', 'lm_calls_fts', 'example_results_fts', 'lm_cache']) {
        expect(tables).toContain(t);
      }
    });
  });

  it('re-opening is idempotent and keeps the data', () => {
    const file = path.join(dir, 'tandem.db');
    const first = openStore(file);
    const id = first.experiments.create({ name: 'kept', task: 'gsm8k', config: { a: 1 } });
    first.close();
    const second = openStore(file);
    expect(second.experiments.get(id)).toMatchObject({ name: 'kept', config: { a: 1 } });
    second.close();
    const third = openStore(file);
    third.close();
    inspect(file, (db) => expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(latestVersion()));
  });

  it('turns foreign keys on', () => {
    const store = openStore(path.join(dir, 'fk.db'));
    try {
      expect(() => store.runs.create({ experimentId: 999, strategy: 'p', seed: 0, lm: {} })).toThrow(/FOREIGN KEY/);
    } finally {
      store.close();
    }
  });

  it('sets WAL, busy_timeout, synchronous=NORMAL and foreign_keys on the connection', () => {
    const db = openDatabase(path.join(dir, 'p.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('page_size', { simple: true })).toBe(8192);
    } finally {
      db.close();
    }
  });

  it('works in memory', () => {
    const store = openStore(':memory:');
    const id = store.experiments.create({ name: 'm', task: 'iris' });
    expect(store.experiments.list().map((e) => e.id)).toEqual([id]);
    store.close();
  });

  it('refuses a file that is not a SQLite database, saying which file and what to do', () => {
    const file = path.join(dir, 'notes.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    let error: unknown;
    try {
      openStore(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('not-a-database');
    expect((error as StoreError).message).toContain(file);
    expect((error as StoreError).message).toMatch(/not a SQLite database/);
    expect((error as StoreError).message).toMatch(/another path|move this file/);
  });

  it('refuses a folder given as the database file', () => {
    expect(() => openStore(dir)).toThrow(StoreError);
  });

  it("refuses another application's SQLite database without touching it", () => {
    const file = path.join(dir, 'other.db');
    inspect(file, (db) => db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)'));
    expect(() => openStore(file)).toThrow(/not a Tandem database/);
    inspect(file, (db) => expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'experiments'").pluck().get()).toBe(0));
  });

  it('refuses a database written by a newer Tandem and leaves it untouched', () => {
    const file = path.join(dir, 'newer.db');
    openStore(file).close();
    const future = latestVersion() + 1;
    inspect(file, (db) => db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(future, 'from the future', 0));
    let error: unknown;
    try {
      openStore(file);
    } catch (err) {
      error = err;
    }
    expect((error as StoreError).code).toBe('newer-schema');
    expect((error as StoreError).message).toContain(file);
    expect((error as StoreError).message).toContain(`schema version ${future}`);
    expect((error as StoreError).message).toMatch(/Update Tandem/);
    inspect(file, (db) => expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(future));
  });

  it('lets two connections use the same file (WAL readers see committed writes)', () => {
    const file = path.join(dir, 'shared.db');
    const a = openStore(file);
    const b = openStore(file);
    const id = a.experiments.create({ name: 'from a', task: 'iris' });
    expect(b.experiments.get(id)?.name).toBe('from a');
    a.close();
    b.close();
  });

  it('close is idempotent', () => {
    const store = openStore(path.join(dir, 'c.db'));
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});
