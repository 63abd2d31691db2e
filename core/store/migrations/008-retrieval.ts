// Migration 8: pipelines. A trace's retrievals are kept beside its LM calls (retrieval_calls:
// query, k, backend, the passages returned as JSON, how it was served, and `after_calls`, how
// many LM calls of the trace came before it, which orders the two kinds of node); retrieval
// results are cached across runs (retrieval_cache, keyed like the LM response cache); and a
// trace keeps the values of its task's intermediate checks (traces.checks, JSON; NULL for
// traces of tasks without checks and for traces stored before); a fine-tune job keeps the ids of
// the traces its rows came from (finetune_jobs.source_traces, JSON), so the training set's
// intermediate quality can be measured from the database.

import type { Migration } from './migration.ts';

export const retrieval: Migration = {
  version: 8,
  name: 'retrieval',
  sql: `
CREATE TABLE retrieval_calls (
  id             INTEGER PRIMARY KEY,
  trace_id       INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  run_id         INTEGER NOT NULL,
  stage_id       INTEGER,
  call_index     INTEGER NOT NULL,
  module         TEXT NOT NULL,
  query          TEXT NOT NULL,
  k              INTEGER NOT NULL,
  backend        TEXT NOT NULL,
  retriever      TEXT NOT NULL,
  passages       TEXT NOT NULL,
  latency_ms     REAL NOT NULL,
  cached         INTEGER NOT NULL,
  attempts       INTEGER NOT NULL,
  error_kind     TEXT,
  error_message  TEXT,
  started_at     INTEGER NOT NULL,
  after_calls    INTEGER NOT NULL
);
CREATE INDEX retrieval_calls_by_trace ON retrieval_calls (trace_id, call_index);
CREATE INDEX retrieval_calls_by_run ON retrieval_calls (run_id, id);

CREATE TABLE retrieval_cache (
  key         TEXT PRIMARY KEY,
  passages    TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

ALTER TABLE traces ADD COLUMN checks TEXT;
ALTER TABLE finetune_jobs ADD COLUMN source_traces TEXT;
`,
};
