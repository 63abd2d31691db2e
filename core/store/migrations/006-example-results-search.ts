// Migration 6: searching an evaluation's example results no longer scans them. The search text
// of a result is what the trace list searches (core/api/example-results.ts):
//
//   coalesce(example_id, '') || ' ' || coalesce(<its trace's inputs JSON>, '') || ' ' || coalesce(prediction, '')
//
// example_results_fts is a contentless FTS5 index (rowid = example_results.id) of that text with
// the trigram tokenizer, so a quoted FTS5 string of 3 or more characters matches exactly the rows
// whose text holds it as a substring, case-insensitively, like the LIKE scan it replaces. It is
// filled here for the rows already stored; the evaluation repository writes the entry of each new
// result in the same transaction (a statement of its own: an FTS5 write from a trigger costs about
// three times as much), and triggers drop it when the result is deleted (cascades included) and
// rewrite it if the result's id, example id or prediction is ever edited. A trace's inputs are
// never edited; a trace only goes together with its results (they share run and stage), so
// trace_id's ON DELETE SET NULL is left alone: following it would re-index every result of a run
// being deleted just before deleting it (6 times slower deletes).
//
// Three indexes serve the list: rowid spans of one evaluation (so the FTS index seeks to them
// instead of walking the matches of every other evaluation) and the two score sorts (score, then
// position, both ascending; score descending, then position ascending), which page without
// sorting the evaluation, wherever the cursor is.

import type { Migration } from './migration.ts';

export const exampleResultsSearch: Migration = {
  version: 6,
  name: 'example-results-search',
  sql: `
CREATE VIRTUAL TABLE example_results_fts USING fts5(
  text,
  content = '', contentless_delete = 1,
  tokenize = 'trigram case_sensitive 0'
);
INSERT INTO example_results_fts (rowid, text)
  SELECT er.id, coalesce(er.example_id, '') || ' ' || coalesce(t.inputs, '') || ' ' || coalesce(er.prediction, '')
  FROM example_results er LEFT JOIN traces t ON t.id = er.trace_id
  ORDER BY er.id;

CREATE TRIGGER example_results_fts_update AFTER UPDATE OF id, example_id, prediction ON example_results BEGIN
  DELETE FROM example_results_fts WHERE rowid = old.id;
  INSERT INTO example_results_fts (rowid, text)
    VALUES (new.id, coalesce(new.example_id, '') || ' ' || coalesce((SELECT inputs FROM traces WHERE id = new.trace_id), '') || ' ' || coalesce(new.prediction, ''));
END;
CREATE TRIGGER example_results_fts_delete AFTER DELETE ON example_results BEGIN
  DELETE FROM example_results_fts WHERE rowid = old.id;
END;

CREATE INDEX example_results_by_evaluation ON example_results (evaluation_id);
CREATE INDEX example_results_by_score ON example_results (evaluation_id, score, example_index);
CREATE INDEX example_results_by_score_desc ON example_results (evaluation_id, score DESC, example_index);
`,
};
