// The golden run: one fixed experiment (`p, p -> w` on Iris, 2 seeds, one after another, against
// the stub server in its own process, with the engine's real LoRA trainer as the fine-tuning
// command) must print the same `--json` table and store the same rows as the recorded golden
// file, byte for byte once wall-clock times, temporary paths and the stub's port are taken out.
// Refactors that claim to change no behaviour are held to it. The file keeps the whole table and
// a SHA-256 of each table's rows (the rows themselves are megabytes); on a mismatch the full dump
// is written under test-artifacts/ to diff against one made at the golden commit.
// `TANDEM_UPDATE_GOLDEN=1` rewrites the file.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDir } from '../../core/engine/engine-paths.ts';
import { findPython } from '../../core/engine/python.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

const GOLDEN = path.resolve(import.meta.dirname, '..', 'golden', 'iris-p-pw-2-seeds.json');
const ARTIFACT = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'golden-run', 'rows.json');
const env = { PYTHONPATH: engineDir(), TANDEM_EXIT_WITH_PARENT: '1', OPENBLAS_NUM_THREADS: '1' };

/** Columns that hold wall-clock times or durations: they differ on every run. */
const VOLATILE_COLUMN = /(_at|^latency_ms|^seconds|^log_tail)$/;
/** JSON keys that hold durations inside stored JSON (run summaries, scores). */
const VOLATILE_KEY = /^(seconds|finetuneSeconds|latencyMs|wallSeconds|startedAt|finishedAt)$/;

const TABLES: Record<string, string> = {
  experiments: 'SELECT * FROM experiments ORDER BY id',
  runs: 'SELECT * FROM runs ORDER BY id',
  stages: 'SELECT * FROM stages ORDER BY id',
  candidates: 'SELECT * FROM candidates ORDER BY id',
  evaluations: 'SELECT * FROM evaluations ORDER BY id',
  traces: 'SELECT * FROM traces ORDER BY id',
  example_results: 'SELECT * FROM example_results ORDER BY id',
  lm_calls: 'SELECT c.*, b.inputs AS body_inputs, b.messages, b.completion, b.outputs FROM lm_calls c LEFT JOIN lm_call_bodies b ON b.call_id = c.id ORDER BY c.id',
  // The cache key hashes the server's URL too, and the stub's port changes: compare responses.
  lm_cache: 'SELECT response FROM lm_cache ORDER BY response',
  finetune_jobs: 'SELECT * FROM finetune_jobs ORDER BY id',
};

let stub: StubServerHandle;
let dir: string;
let tiny: string;
let python: string;

beforeAll(async () => {
  stub = await startStubServer({});
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-golden-'));
  tiny = await makeTinyCheckpoint(path.join(dir, 'tiny'));
  python = (await findPython()).executable;
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Replaces what depends on this machine or this run's clock with stable placeholders. */
function stable(value: unknown): unknown {
  if (typeof value === 'string') {
    const text = value.split(dir).join('<dir>').split(stub.baseUrl).join('<stub>').split(python).join('<python>');
    if ((text.startsWith('{') || text.startsWith('[')) && text.length > 1) {
      try {
        return { json: stable(JSON.parse(text)) };
      } catch {
        return text;
      }
    }
    return text;
  }
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = VOLATILE_KEY.test(k) ? '<time>' : stable(v);
    return out;
  }
  return value;
}

function dumpRows(db: string): Record<string, unknown[]> {
  const conn = new Database(db, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    for (const [table, sql] of Object.entries(TABLES)) {
      out[table] = (conn.prepare(sql).all() as Record<string, unknown>[]).map((row) => {
        const kept: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) kept[k] = VOLATILE_COLUMN.test(k) ? '<time>' : stable(v);
        return kept;
      });
    }
    return out;
  } finally {
    conn.close();
  }
}

describe('golden run: p, p -> w on Iris, 2 seeds, stub server + real trainer', () => {
  it('prints the recorded --json table and stores the recorded rows', async () => {
    const db = path.join(dir, 'run', 'tandem.db');
    const trainer = `${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --batch-size 4 --max-seq-len 4096 --seed {seed}`;
    const result = await runCli(
      ['run', 'iris', '--strategies', 'p, p -> w', '--seeds', '2', '--seed-concurrency', '1', '--candidates', '2', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--finetune-command', trainer, '--db', db, '--json'],
      { env, timeoutMs: 400_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    const rows = dumpRows(db);
    mkdirSync(path.dirname(ARTIFACT), { recursive: true });
    writeFileSync(ARTIFACT, JSON.stringify(rows, null, 1) + '\n');
    const digests = Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, { rows: list.length, sha256: createHash('sha256').update(JSON.stringify(list)).digest('hex') }]));
    const actual = JSON.stringify({ table: stable(JSON.parse(result.stdout)), rows: digests }, null, 1) + '\n';
    if (process.env.TANDEM_UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, actual);
      if (process.env.TANDEM_UPDATE_GOLDEN !== '1') throw new Error(`no golden file: wrote ${GOLDEN}; check it in`);
    }
    const expected = readFileSync(GOLDEN, 'utf8');
    // The table first for a readable failure, then every table's rows, then the whole text.
    const parsedExpected = JSON.parse(expected);
    expect(JSON.parse(actual).table).toEqual(parsedExpected.table);
    for (const table of Object.keys(TABLES)) expect(digests[table], `rows of ${table} (dump: ${ARTIFACT})`).toEqual(parsedExpected.rows[table]);
    expect(actual).toBe(expected);
  }, 420_000);
});
