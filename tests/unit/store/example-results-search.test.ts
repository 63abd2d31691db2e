// Migration 6: the trigram index over each example result's search text (example id, trace
// inputs, prediction). Saving an evaluation writes the entries with the results; deletes (cascades
// included) and edits keep it in step; a version 5 database gets its existing results indexed
// on open, and the API finds them.

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../../core/api/index.ts';
import { openDatabase } from '../../../core/store/database.ts';
import { openStore } from '../../../core/store/index.ts';
import { migrate } from '../../../core/store/migrate.ts';
import { MIGRATIONS } from '../../../core/store/migrations/index.ts';
import { makeCall, makeTrace, seedRun, tempDir, tempStore, type TempStore } from './helpers.ts';

let t: TempStore;
beforeEach(() => (t = tempStore()));
afterEach(() => t.cleanup());

/** Rowids the index gives for a quoted FTS5 string, on a fresh connection. */
function indexed(file: string, text: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT rowid FROM example_results_fts WHERE example_results_fts MATCH ? ORDER BY rowid').pluck().all(`"${text.replace(/"/g, '""')}"`) as number[];
  } finally {
    db.close();
  }
}

const result = (i: number, exampleId: string, question: string, answer: string) => {
  const call = makeCall({ inputs: { question }, outputs: { answer } });
  return { exampleIndex: i, exampleId, score: 1, passed: true, prediction: { answer }, trace: makeTrace([call], { exampleId }) };
};

describe('example results search index (migration 6)', () => {
  it('saving an evaluation indexes each result: its id, its trace inputs and its prediction', () => {
    const { runId, stageId } = seedRun(t.store);
    const { evaluationId } = t.store.evaluations.save({
      runId,
      stageId,
      split: 'test',
      results: [result(0, 'iris-037', 'petal 4.9 wide?', 'setosa'), result(1, 'iris-038', 'sepal 5.1', 'Versicolor')],
    });
    const [a, b] = t.store.evaluations.results(evaluationId).map((r) => r.id);
    expect(t.count('example_results_fts')).toBe(2);
    expect(indexed(t.file, 'iris-037')).toEqual([a]);
    expect(indexed(t.file, 'IRIS-03')).toEqual([a, b]);
    expect(indexed(t.file, '4.9 wide')).toEqual([a]);
    expect(indexed(t.file, '{"question":"sepal')).toEqual([b]); // the inputs JSON as stored
    expect(indexed(t.file, 'versicolor')).toEqual([b]);
    expect(indexed(t.file, 'vers')).toEqual([b]);
    expect(indexed(t.file, 'virginica')).toEqual([]);
  });

  it('drops the entries of deleted results, by cascade too, and re-indexes an edited prediction', () => {
    const { experimentId, runId, stageId } = seedRun(t.store);
    const first = t.store.evaluations.save({ runId, stageId, split: 'dev', results: [result(0, 'ex-a', 'alpha', 'one'), result(1, 'ex-b', 'beta', 'two')] });
    const otherRun = t.store.runs.create({ experimentId: t.store.experiments.create({ name: 'other', task: 'iris' }), strategy: 'p', seed: 1, lm: {} });
    t.store.evaluations.save({ runId: otherRun, stageId: null, split: 'dev', results: [result(0, 'ex-c', 'gamma', 'three')] });
    const [a, b] = t.store.evaluations.results(first.evaluationId).map((r) => r.id);

    const db = new Database(t.file);
    try {
      db.pragma('foreign_keys = ON');
      db.prepare('UPDATE example_results SET prediction = ? WHERE id = ?').run(JSON.stringify({ answer: 'uno' }), a);
      expect(indexed(t.file, 'uno')).toEqual([a]);
      expect(indexed(t.file, 'one')).toEqual([]);
      expect(indexed(t.file, 'alpha')).toEqual([a]); // the trace's inputs are still in it
      db.prepare('DELETE FROM example_results WHERE id = ?').run(b);
      expect(indexed(t.file, 'beta')).toEqual([]);
      db.prepare('DELETE FROM experiments WHERE id = ?').run(experimentId); // cascades to runs, evaluations, results
    } finally {
      db.close();
    }
    expect(t.count('example_results')).toBe(1);
    expect(t.count('example_results_fts')).toBe(1);
    expect(indexed(t.file, 'alpha')).toEqual([]);
    expect(indexed(t.file, 'gamma')).toHaveLength(1);
  });

  it('indexes the results of a version 5 database on open; the API finds them', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'old.db');
      const db = openDatabase(file);
      migrate(db, file, MIGRATIONS.filter((m) => m.version <= 5));
      db.exec(`
        INSERT INTO experiments (id, name, task, config, created_at) VALUES (1, 'e', 'iris', '{}', 0);
        INSERT INTO runs (id, experiment_id, strategy, seed, lm, config, status, created_at) VALUES (1, 1, 'p', 0, '{}', '{}', 'finished', 0);
        INSERT INTO stages (id, run_id, kind, prefix, status, started_at) VALUES (1, 1, 'p', 'p', 'finished', 0);
        INSERT INTO evaluations (id, run_id, stage_id, split, score, n, errors, created_at) VALUES (1, 1, 1, 'dev', 0, 1, 0, 0), (2, 1, 1, 'test', 0.5, 4, 1, 0);
        INSERT INTO traces (id, run_id, stage_id, purpose, example_id, inputs, prediction, error, created_at) VALUES
          (1, 1, 1, 'eval', 'iris-001', '{"sepal_length":"4.9","petal_width":"0.2"}', NULL, NULL, 0),
          (2, 1, 1, 'eval', 'iris-002', '{"sepal_length":"6.3","petal_width":"1.8"}', NULL, NULL, 0),
          (3, 1, 1, 'eval', 'iris-003', '{"sepal_length":"5.8","petal_width":"2.2"}', NULL, '{"kind":"parse","message":"no species"}', 0),
          (4, 1, 1, 'eval', 'iris-009', '{"sepal_length":"4.9"}', NULL, NULL, 0);
        INSERT INTO example_results (id, evaluation_id, example_index, example_id, score, passed, prediction, trace_id, error, labels) VALUES
          (1, 1, 0, 'iris-009', 0, 0, '{"species":"setosa"}', 4, NULL, NULL),
          (2, 2, 0, 'iris-001', 1, 1, '{"species":"setosa","reasoning":"short narrow petals"}', 1, NULL, '{"species":"setosa"}'),
          (3, 2, 1, 'iris-002', 0, 0, '{"species":"versicolor","reasoning":"wide petals"}', 2, NULL, NULL),
          (4, 2, 2, 'iris-003', 0, 0, NULL, 3, '{"kind":"parse","message":"no species"}', NULL),
          (5, 2, 3, NULL, 1, 1, '{"species":"virginica"}', NULL, NULL, NULL);
      `);
      db.close();

      const api = createApi({ dbPath: file, env: {}, hasDemoModel: () => false, embeddedModelsDir: null, libraryDir: path.join(dir, 'models') });
      try {
        const search = async (text: string, extra: { sort?: 'score-desc'; passed?: boolean } = {}) =>
          (await api.pageExampleResults({ evaluationId: 2, search: text, ...extra })).rows.map((r) => r.id);
        expect(await search('iris-001')).toEqual([2]);
        expect(await search('002')).toEqual([3]);
        expect(await search('4.9')).toEqual([2]); // not result 1: another evaluation
        expect(await search('"sepal_length":"5.8"')).toEqual([4]);
        expect(await search('narrow')).toEqual([2]);
        expect(await search('PETALS')).toEqual([2, 3]);
        expect(await search('petal_width petals')).toEqual([2, 3]);
        expect(await search('virginica')).toEqual([5]); // no id, no trace: the prediction alone
        expect(await search('1.')).toEqual([3]); // short words: LIKE
        expect(await search('species', { sort: 'score-desc' })).toEqual([2, 5, 3]);
        expect(await search('species', { passed: false })).toEqual([3]);
        const page = await api.pageExampleResults({ evaluationId: 2, search: 'iris', limit: 2 });
        expect(page.total).toBe(3);
        expect((await api.pageExampleResults({ evaluationId: 2, search: 'iris', limit: 2, cursor: page.nextCursor })).rows.map((r) => r.id)).toEqual([4]);
      } finally {
        await api.close();
      }

      const store = openStore(file);
      try {
        expect(indexed(file, 'iris-00')).toEqual([1, 2, 3, 4]);
        // New results join the index next to the migrated ones.
        const { evaluationId } = store.evaluations.save({ runId: 1, stageId: 1, split: 'test', results: [result(0, 'iris-004', 'q', 'setosa')] });
        expect(indexed(file, 'iris-00')).toEqual([1, 2, 3, 4, store.evaluations.results(evaluationId)[0]!.id]);
      } finally {
        store.close();
      }
    } finally {
      cleanup();
    }
  });
});
