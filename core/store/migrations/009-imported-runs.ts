// Migration 9: runs brought in from a run bundle (`tandem import`). Each imported run keeps the
// bundle's origin — the SHA-256 of the bundle's records, the same for every export of the same
// stored run — so importing a bundle again finds the run instead of copying it twice. Deleting
// the run (or its experiment) deletes the row, and the bundle may then be imported again.

import type { Migration } from './migration.ts';

export const importedRuns: Migration = {
  version: 9,
  name: 'imported-runs',
  sql: `
CREATE TABLE imported_runs (
  origin       TEXT    PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source_run   INTEGER NOT NULL,
  bundle       TEXT    NOT NULL,
  imported_at  INTEGER NOT NULL
);
CREATE INDEX imported_runs_by_run ON imported_runs (run_id);
`,
};
