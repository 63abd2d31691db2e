// Brings a database up to this code's schema: applies the pending numbered migrations, each in
// its own IMMEDIATE transaction together with its row in schema_migrations, so re-opening is a
// no-op and two processes opening a fresh file at once do not both migrate. Refuses files that
// belong to another application or were written by a newer Tandem.

import type { Db } from './database.ts';
import { StoreError } from './errors.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

/** PRAGMA application_id of a Tandem database: "Tndm". */
export const APPLICATION_ID = 0x546e646d;

export interface MigrationReport {
  from: number;
  to: number;
  applied: number[];
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

export function migrate(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  checkOrder(migrations);
  const latest = latestVersion(migrations);
  checkOpenable(db, file, migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    applied_at  INTEGER NOT NULL
  )`);
  const from = currentVersion(db);
  checkNotNewer(from, latest, file);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const apply = db.transaction(() => {
      // Another process may have applied it between our read and our lock.
      const now = currentVersion(db);
      checkNotNewer(now, latest, file);
      if (migration.version <= now) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.version);
    });
    try {
      apply.immediate();
    } catch (err) {
      throw new StoreError('open-failed', `migrating database ${file} to schema version ${migration.version} (${migration.name}) failed: ${(err as Error).message}. Nothing of that step was applied.`, { cause: err });
    }
  }
  // A Tandem database from before the application id was set gets it now.
  if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
  return { from, to: Math.max(from, latest), applied };
}

/**
 * Refuses, before anything is written, a file that belongs to another application or was written
 * by a newer Tandem. Only reads: the file is left as it was.
 */
export function checkOpenable(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  checkOwner(db, file);
  if (hasTable(db, 'schema_migrations')) checkNotNewer(currentVersion(db), latestVersion(migrations), file);
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

export function currentVersion(db: Db): number {
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

function checkOwner(db: Db, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId === APPLICATION_ID) return;
  if (appId !== 0) {
    throw new StoreError('foreign-database', `${file} is a SQLite database of another application (application_id ${appId}), not a Tandem database. Choose another file for Tandem's data.`);
  }
  // Tandem databases written before the application id was set: Tandem's migration table and
  // its first tables.
  if (hasTable(db, 'schema_migrations') && hasTable(db, 'experiments') && hasTable(db, 'runs')) return;
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' LIMIT 3").all() as Array<{ name: string }>;
  if (tables.length > 0) {
    throw new StoreError(
      'foreign-database',
      `${file} is a SQLite database with other tables (${tables.map((t) => t.name).join(', ')}…), not a Tandem database. Choose another file for Tandem's data.`,
    );
  }
}

function checkNotNewer(version: number, latest: number, file: string): void {
  if (version > latest) {
    throw new StoreError(
      'newer-schema',
      `database ${file} has schema version ${version}, but this Tandem only knows versions up to ${latest}: it was written by a newer Tandem. Update Tandem to open it (or open another workspace); it was left untouched.`,
    );
  }
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}: versions must be 1, 2, 3, … in order`);
  });
}
