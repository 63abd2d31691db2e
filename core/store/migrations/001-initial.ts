// Schema version 1. Times are Unix epoch milliseconds; JSON columns hold JSON.stringify output.
//
// lm_calls is kept narrow (ids, names, numbers) so filters, sorts and stats read few pages; the
// large texts of a call live in lm_call_bodies under the same id. lm_calls_fts is a contentless
// FTS5 index (rowid = lm_calls.id) over the prompt text (all message contents) and the
// completion, written by the repository in the same transaction as the call; the trigger keeps
// it clean when calls are deleted (e.g. by cascade from a run).

import type { Migration } from './migration.ts';

const STATUS = `('pending', 'running', 'finished', 'failed', 'cancelled')`;

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
CREATE TABLE experiments (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL,
  task        TEXT    NOT NULL,
  config      TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  strategy       TEXT    NOT NULL,
  seed           INTEGER NOT NULL,
  lm             TEXT    NOT NULL,
  config         TEXT    NOT NULL,
  status         TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ${STATUS}),
  error          TEXT,
  summary        TEXT,
  created_at     INTEGER NOT NULL,
  started_at     INTEGER,
  finished_at    INTEGER
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, id);

CREATE TABLE stages (
  id               INTEGER PRIMARY KEY,
  run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  parent_stage_id  INTEGER REFERENCES stages(id) ON DELETE SET NULL,
  kind             TEXT    NOT NULL,
  prefix           TEXT    NOT NULL,
  status           TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ${STATUS}),
  program_state    TEXT,
  model_id         TEXT,
  scores           TEXT,
  error            TEXT,
  started_at       INTEGER NOT NULL,
  finished_at      INTEGER
);
CREATE INDEX stages_by_run ON stages (run_id, id);
CREATE INDEX stages_by_parent ON stages (parent_stage_id);

CREATE TABLE candidates (
  id             INTEGER PRIMARY KEY,
  stage_id       INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
  idx            INTEGER NOT NULL,
  kind           TEXT    NOT NULL,
  seed           INTEGER NOT NULL,
  num_demos      INTEGER NOT NULL CHECK (num_demos >= 0),
  program_state  TEXT    NOT NULL,
  score          REAL,
  is_best        INTEGER NOT NULL DEFAULT 0 CHECK (is_best IN (0, 1)),
  evaluation_id  INTEGER REFERENCES evaluations(id) ON DELETE SET NULL,
  UNIQUE (stage_id, idx)
);
CREATE INDEX candidates_by_evaluation ON candidates (evaluation_id);

CREATE TABLE evaluations (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stage_id      INTEGER REFERENCES stages(id) ON DELETE CASCADE,
  candidate_id  INTEGER REFERENCES candidates(id) ON DELETE CASCADE,
  split         TEXT    NOT NULL,
  score         REAL    NOT NULL,
  n             INTEGER NOT NULL CHECK (n >= 0),
  errors        INTEGER NOT NULL CHECK (errors >= 0 AND errors <= n),
  created_at    INTEGER NOT NULL
);
CREATE INDEX evaluations_by_run ON evaluations (run_id, id);
CREATE INDEX evaluations_by_stage ON evaluations (stage_id, id);
CREATE INDEX evaluations_by_candidate ON evaluations (candidate_id);

CREATE TABLE traces (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stage_id    INTEGER REFERENCES stages(id) ON DELETE CASCADE,
  purpose     TEXT    NOT NULL,
  example_id  TEXT,
  inputs      TEXT    NOT NULL,
  prediction  TEXT,
  error       TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX traces_by_run ON traces (run_id, id);
CREATE INDEX traces_by_stage ON traces (stage_id, id);

CREATE TABLE example_results (
  id             INTEGER PRIMARY KEY,
  evaluation_id  INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  example_index  INTEGER NOT NULL,
  example_id     TEXT,
  score          REAL    NOT NULL,
  passed         INTEGER NOT NULL CHECK (passed IN (0, 1)),
  prediction     TEXT,
  trace_id       INTEGER REFERENCES traces(id) ON DELETE SET NULL,
  error          TEXT,
  UNIQUE (evaluation_id, example_index)
);
CREATE INDEX example_results_by_trace ON example_results (trace_id);
CREATE INDEX example_results_by_example ON example_results (example_id);

-- run_id and stage_id are copied from the trace so filters need no join; the trace's cascade
-- removes calls, so they carry no foreign keys of their own.
CREATE TABLE lm_calls (
  id                 INTEGER PRIMARY KEY,
  trace_id           INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  run_id             INTEGER NOT NULL,
  stage_id           INTEGER,
  call_index         INTEGER NOT NULL,
  predictor          TEXT    NOT NULL,
  model              TEXT    NOT NULL,
  parse_fallback     TEXT,
  prompt_tokens      INTEGER NOT NULL CHECK (prompt_tokens >= 0),
  completion_tokens  INTEGER NOT NULL CHECK (completion_tokens >= 0),
  total_tokens       INTEGER GENERATED ALWAYS AS (prompt_tokens + completion_tokens) VIRTUAL,
  latency_ms         REAL    NOT NULL CHECK (latency_ms >= 0),
  cached             INTEGER NOT NULL CHECK (cached IN (0, 1)),
  attempts           INTEGER NOT NULL CHECK (attempts >= 0),
  error_kind         TEXT,
  error_message      TEXT,
  started_at         INTEGER NOT NULL
);
CREATE INDEX lm_calls_by_trace ON lm_calls (trace_id, call_index);
CREATE INDEX lm_calls_by_run ON lm_calls (run_id, id);
CREATE INDEX lm_calls_by_stage ON lm_calls (stage_id, id);
CREATE INDEX lm_calls_by_predictor ON lm_calls (predictor, id);
CREATE INDEX lm_calls_by_model ON lm_calls (model, id);
CREATE INDEX lm_calls_with_error ON lm_calls (id) WHERE error_kind IS NOT NULL;
CREATE INDEX lm_calls_cached ON lm_calls (id) WHERE cached = 1;
CREATE INDEX lm_calls_by_latency ON lm_calls (latency_ms, id);
CREATE INDEX lm_calls_by_tokens ON lm_calls (total_tokens, id);

CREATE TABLE lm_call_bodies (
  call_id     INTEGER PRIMARY KEY REFERENCES lm_calls(id) ON DELETE CASCADE,
  inputs      TEXT NOT NULL,
  messages    TEXT NOT NULL,
  completion  TEXT,
  outputs     TEXT
);

CREATE VIRTUAL TABLE lm_calls_fts USING fts5(
  prompt, completion,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER lm_calls_fts_delete AFTER DELETE ON lm_calls BEGIN
  DELETE FROM lm_calls_fts WHERE rowid = old.id;
END;

CREATE TABLE lm_cache (
  key         TEXT    PRIMARY KEY,
  response    TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
`,
};
