// Run bundles on a real run (`p, p -> w` on iris against the OpenAI-compatible stub in its own
// process; the `w` step trains with a trainer command that writes a small adapter): exported,
// imported into a fresh workspace and back into its own, every view answers the same (ids aside);
// a bundle imported twice makes one run; a truncated, byte-flipped or altered bundle is refused
// and writes nothing. Also the CLI (`tandem export`, `tandem import`, `--training-data`).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../core/api/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { apiError, openWorkspace, runEnded, type Workspace } from '../unit/api/helpers.ts';

let stub: StubServerHandle;
let source: Workspace;
let runId: number;
let bundlePath: string;

const TRAINER = `
const fs = require('node:fs');
const path = require('node:path');
const out = process.argv[2];
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'adapter_config.json'), JSON.stringify({ r: 4 }));
fs.writeFileSync(path.join(out, 'adapter_model.bin'), Buffer.from([0, 1, 2, 3, 255]));
console.log(JSON.stringify({ step: 1, loss: 0.75 }));
console.log(JSON.stringify({ step: 2, loss: 0.5 }));
`;

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 0 });
  source = openWorkspace();
  const trainer = path.join(source.dir, 'trainer.cjs');
  writeFileSync(trainer, TRAINER);
  const experiment = await source.api.createExperiment({
    task: 'iris',
    strategies: 'p, p -> w',
    seeds: 1,
    optimizer: { candidates: 1 },
    lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl },
    finetune: { command: `${process.execPath} ${trainer} {out}` },
  });
  runId = (await source.api.startRun({ experimentId: experiment.id })).runId;
  await source.waitFor(runEnded(runId), 240_000);
  expect((await source.api.getRun({ runId })).run.status).toBe('finished');
  const bundle = await source.api.exportRunBundle({ runId, withAdapters: true });
  bundlePath = bundle.path;
}, 300_000);

afterAll(async () => {
  await source?.close();
  await stub?.stop();
});

const PATH_KEYS = new Set(['trainFile', 'validFile', 'provenanceFile', 'adapterDir']);

/** A view with its ids (and the files' paths, which differ by workspace) taken out. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !(k === 'id' || /Ids?$/.test(k) || PATH_KEYS.has(k) || k === 'nextCursor' || k === 'prevCursor'))
        .map(([k, v]) => [k, withoutIds(v)]),
    );
  }
  return value;
}

/** Every trace id a view mentions (traceId, sourceTraceId, sourceTraceIds). */
function traceIds(value: unknown, into: Set<number> = new Set()): Set<number> {
  if (Array.isArray(value)) value.forEach((v) => traceIds(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'traceId' || k === 'sourceTraceId') && typeof v === 'number') into.add(v);
      else if (k === 'sourceTraceIds' && Array.isArray(v)) v.forEach((id) => typeof id === 'number' && into.add(id));
      else traceIds(v, into);
    }
  }
  return into;
}

/** What every view of the workbench shows of a run, read through the API. */
async function views(api: Api, id: number) {
  const detail = await api.getRun({ runId: id });
  const stages = await api.listStages({ runId: id });
  const perStage = [];
  for (const stage of stages) {
    const full = await api.getStage({ stageId: stage.id });
    const candidates = await api.listCandidates({ stageId: stage.id });
    const pages = [];
    for (const split of ['dev', 'test'] as const) {
      const page = await api.pageExampleResults({ stageId: stage.id, split, limit: 500 }).catch(() => null);
      pages.push(page);
    }
    perStage.push({ full, candidates, pages });
  }
  const comparison = await api.getComparison({ runId: id, baseline: '', split: 'test' });
  const jobs = await api.listFinetuneJobs({ runId: id });
  const rows = [];
  for (const job of jobs) rows.push(await api.listFinetuneRows({ jobId: job.id, limit: 500 }));
  const calls = await api.pageLMCalls({ runId: id, limit: 500 });
  const searched = await api.pageLMCalls({ runId: id, search: 'setosa', limit: 500, withTotal: true });
  const stats = await api.getLMCallStats({ runId: id });
  const curves = await api.getCurves({ runId: id });
  const report = await api.exportReport({ runId: id, format: 'json' });
  const all = { detail, stages, perStage, comparison, jobs, rows, calls, searched, stats, curves };
  const traces = [];
  for (const traceId of [...traceIds(all)].sort((a, b) => a - b)) traces.push(await api.getTrace({ traceId }));
  return { ...all, traces, report: JSON.parse(report.text) as unknown };
}

function tableCounts(dbPath: string): Record<string, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'").all() as Array<{ name: string }>).map((r) => r.name);
    return Object.fromEntries(names.map((n) => [n, (db.prepare(`SELECT count(*) AS n FROM ${n}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** The bundle's lines with `change` applied to its records, checksums and origin recomputed: a well-formed bundle. */
function resealed(original: Buffer, change: (records: string[]) => string[]): Buffer {
  const lines = gunzipSync(original).toString('utf8').split('\n').slice(0, -1);
  const records = change(lines.slice(1, -1));
  const sha = (parts: string[]) => createHash('sha256').update(parts.map((l) => `${l}\n`).join('')).digest('hex');
  const end = { t: 'end', records: records.length, origin: sha(records), sha256: sha([lines[0]!, ...records]) };
  return gzipSync(Buffer.from([lines[0]!, ...records, JSON.stringify(end)].map((l) => `${l}\n`).join(''), 'utf8'));
}

describe('run bundles', () => {
  it('round trip: a fresh workspace answers every view with the same results, comparisons and traces', async () => {
    const target = openWorkspace();
    try {
      const imported = await target.api.importRunBundle({ path: bundlePath });
      expect(imported).toMatchObject({ imported: true, sourceRunId: runId });
      const before = await views(source.api, runId);
      const after = await views(target.api, imported.runId);
      // The run is real and complete: strategies, candidates, a trained job with rows, traces.
      expect(before.stages.map((s) => s.prefix).sort()).toEqual(['', 'p', 'p -> w']);
      expect(before.jobs).toHaveLength(1);
      expect(before.rows[0]!.rows.length).toBeGreaterThan(0);
      expect(before.traces.length).toBeGreaterThan(10);
      expect(before.searched.rows.length).toBeGreaterThan(0);
      expect(withoutIds(after)).toEqual(withoutIds(before));
      // Imported data files and the adapter sit in the target workspace.
      const job = after.jobs[0]!;
      expect(job.trainFile.startsWith(target.dir)).toBe(true);
      expect(readFileSync(path.join(job.adapterDir!, 'adapter_model.bin'))).toEqual(Buffer.from([0, 1, 2, 3, 255]));
      // Deleting the imported run's experiment forgets the import: the bundle imports again.
      await target.api.deleteExperiment({ experimentId: imported.experimentId });
      const again = await target.api.importRunBundle({ path: bundlePath });
      expect(again.imported).toBe(true);
      expect((await target.api.listRuns()).map((r) => r.id)).toEqual([again.runId]);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('imported next to other runs, every id is remapped and every trace a view names belongs to the new run', async () => {
    const copy = await source.api.importRunBundle({ path: bundlePath });
    expect(copy.imported).toBe(true);
    expect(copy.runId).not.toBe(runId);
    const before = await views(source.api, runId);
    const after = await views(source.api, copy.runId);
    expect(withoutIds(after)).toEqual(withoutIds(before));
    const ids = traceIds({ ...after, traces: undefined });
    expect(ids.size).toBeGreaterThan(0);
    for (const traceId of ids) expect((await source.api.getTrace({ traceId })).trace.runId).toBe(copy.runId);
    const stageIds = new Set(after.stages.map((s) => s.id));
    for (const trace of after.traces) if (trace.trace.stageId !== null) expect(stageIds.has(trace.trace.stageId)).toBe(true);
    // The same bundle again: the same run, nothing added.
    const counts = tableCounts(source.dbPath);
    const again = await source.api.importRunBundle({ path: bundlePath });
    expect(again).toMatchObject({ imported: false, runId: copy.runId });
    expect(tableCounts(source.dbPath)).toEqual(counts);
    // A second export of the same run has the same origin.
    const second = await source.api.exportRunBundle({ runId });
    const third = await source.api.exportRunBundle({ runId });
    expect(third.origin).toBe(second.origin);
  }, 120_000);

  it('a truncated, byte-flipped or altered bundle is refused with a clear message and writes nothing', async () => {
    const target = openWorkspace();
    try {
      const original = readFileSync(bundlePath);
      const truncated = path.join(target.dir, 'truncated.tandem');
      writeFileSync(truncated, original.subarray(0, Math.floor(original.length / 2)));
      const flipped = path.join(target.dir, 'flipped.tandem');
      const bytes = Buffer.from(original);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
      writeFileSync(flipped, bytes);
      // Valid gzip, one value changed inside: only the checksum notices.
      const altered = path.join(target.dir, 'altered.tandem');
      const text = gunzipSync(original).toString('utf8');
      const changed = text.replace('"stub-model"', '"stub-modeX"');
      expect(changed).not.toBe(text);
      writeFileSync(altered, gzipSync(Buffer.from(changed, 'utf8')));
      const cut = path.join(target.dir, 'cut.tandem');
      writeFileSync(cut, gzipSync(Buffer.from(text.split('\n').slice(0, -3).join('\n') + '\n', 'utf8')));

      await target.api.listRuns(); // the database exists with its schema
      const counts = tableCounts(target.dbPath);
      for (const [file, why] of [[truncated, /damaged/], [flipped, /damaged/], [altered, /altered/], [cut, /truncated/]] as const) {
        const error = await apiError(target.api.importRunBundle({ path: file }));
        expect(error.code).toBe('invalid-input');
        expect(error.message).toMatch(why);
        expect(error.message).toContain(file);
        expect(error.message).toMatch(/nothing was imported/);
        expect(error.message.split('\n')).toHaveLength(1);
        expect(tableCounts(target.dbPath)).toEqual(counts);
        expect(existsSync(path.join(target.dir, 'imported'))).toBe(false);
      }
      const notABundle = path.join(target.dir, 'plain.tandem');
      writeFileSync(notABundle, 'hello');
      expect((await apiError(target.api.importRunBundle({ path: notABundle }))).message).toMatch(/damaged or not a Tandem bundle/);
      expect(tableCounts(target.dbPath)).toEqual(counts);
    } finally {
      await target.close();
    }
  }, 60_000);

  it('an import that fails part way (a row the database refuses) leaves no rows and no files behind', async () => {
    const target = openWorkspace();
    try {
      await target.api.listRuns();
      const counts = tableCounts(target.dbPath);
      const bad = path.join(target.dir, 'bad-row.tandem');
      let changed = 0;
      writeFileSync(
        bad,
        resealed(readFileSync(bundlePath), (records) =>
          records.map((line) => (line.startsWith('{"t":"stages"') && changed++ === 0 ? line.replace('"finished"', '"bogus"') : line)),
        ),
      );
      expect(changed).toBeGreaterThan(0);
      const error = await apiError(target.api.importRunBundle({ path: bad }));
      expect(error.code).toBe('invalid-input');
      expect(error.message).toMatch(/a row of stages cannot be stored \(SQLite says: CHECK constraint failed.*nothing was imported$/);
      expect(tableCounts(target.dbPath)).toEqual(counts);
      expect(existsSync(path.join(target.dir, 'imported')) ? readdirSync(path.join(target.dir, 'imported')) : []).toEqual([]);
      // A file key that would leave the import's folder is refused before anything is written.
      const escaping = path.join(target.dir, 'escaping.tandem');
      writeFileSync(escaping, resealed(readFileSync(bundlePath), (records) => records.map((line) => line.replace(/"k":"job\/(\d+)\/adapter\/[^"]+"/, '"k":"job/$1/adapter/../../../outside"'))));
      expect((await apiError(target.api.importRunBundle({ path: escaping }))).message).toMatch(/holds a file this Tandem does not write/);
      expect(existsSync(path.join(target.dir, 'outside'))).toBe(false);
      expect(tableCounts(target.dbPath)).toEqual(counts);
    } finally {
      await target.close();
    }
  }, 60_000);

  it('refuses to export a run that does not exist', async () => {
    expect((await apiError(source.api.exportRunBundle({ runId: 999 }))).code).toBe('not-found');
  });

  it('reads the bundle back a piece at a time from the exports folder', async () => {
    const bundle = await source.api.exportRunBundle({ runId });
    const pieces: Buffer[] = [];
    for (let offset = 0, done = false; !done; ) {
      const chunk = await source.api.readExportChunk({ filename: bundle.filename, offset });
      pieces.push(Buffer.from(chunk.base64, 'base64'));
      offset += Buffer.from(chunk.base64, 'base64').length;
      done = chunk.done;
    }
    expect(Buffer.concat(pieces)).toEqual(readFileSync(bundle.path));
    expect((await apiError(source.api.readExportChunk({ filename: '../tandem.db' }))).code).toBe('invalid-input');
    expect((await apiError(source.api.readExportChunk({ filename: 'nope.tandem' }))).code).toBe('not-found');
  });

  it('a fine-tune job\'s rows come out as OpenAI-format chat JSONL with their provenance', async () => {
    const [job] = await source.api.listFinetuneJobs({ runId });
    const data = await source.api.getFinetuneData({ jobId: job!.id });
    expect(data.files.map((f) => f.filename)).toEqual([`run-${runId}-job-${job!.id}-train.jsonl`, `run-${runId}-job-${job!.id}-provenance.jsonl`]);
    const lines = data.files[0]!.text.trim().split('\n');
    expect(lines).toHaveLength(job!.rows);
    for (const line of lines) {
      const row = JSON.parse(line) as { messages: Array<Record<string, unknown>> };
      expect(Object.keys(row)).toEqual(['messages']);
      for (const m of row.messages) {
        expect(Object.keys(m).sort()).toEqual(['content', 'role']);
        expect(['system', 'user', 'assistant']).toContain(m.role);
        expect(typeof m.content).toBe('string');
      }
      expect(row.messages.at(-1)!.role).toBe('assistant');
    }
    expect(data.files[1]!.text.trim().split('\n')).toHaveLength(job!.rows);
  });
});

const ECHO_TASK = `import { defineTask, example, Module, Predict, signature, type CallContext, type FieldValue } from 'tandem';

class Echo extends Module {
  say = new Predict(signature().input('word', 'A word.').output('answer', 'The same word.').instructions('Repeat the word.').build());
  forward(inputs: Record<string, FieldValue>, ctx: CallContext) {
    return this.say.forward(inputs, ctx);
  }
}

export default defineTask({
  name: 'echo-bundle',
  description: 'Repeat a word.',
  program: () => new Echo(),
  metric: (ex, pred) => (pred.answer === ex.labels.answer ? 1 : 0),
  examples: () => ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((w, i) => example('w' + i, { word: w }, { answer: w })),
});
`;

describe('a run whose task is a file', () => {
  it('carries the task file: the imported spec names the imported copy, with the same hash, after the original is gone', async () => {
    const taskDir = path.join(source.dir, 'tasks-src');
    mkdirSync(taskDir, { recursive: true });
    const file = path.join(taskDir, 'echo.ts');
    writeFileSync(file, ECHO_TASK);
    const experiment = await source.api.createExperiment({ task: file, strategies: 'p', lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl }, optimizer: { candidates: 1 } });
    const { runId: taskRun } = await source.api.startRun({ experimentId: experiment.id });
    await source.waitFor(runEnded(taskRun), 60_000);
    const bundle = await source.api.exportRunBundle({ runId: taskRun });
    rmSync(file);
    const target = openWorkspace();
    try {
      const imported = await target.api.importRunBundle({ path: bundle.path });
      const before = await source.api.getRun({ runId: taskRun });
      const after = await target.api.getRun({ runId: imported.runId });
      const source_ = after.spec!.taskSource as { kind: string; file: string; sha256: string };
      expect(source_.kind).toBe('module');
      expect(source_.file.startsWith(path.join(target.dir, 'imported'))).toBe(true);
      expect(source_.sha256).toBe((before.spec!.taskSource as { sha256: string }).sha256);
      expect(readFileSync(source_.file, 'utf8')).toBe(ECHO_TASK);
      expect(withoutIds(after.results)).toEqual(withoutIds(before.results));
    } finally {
      await target.close();
    }
  }, 120_000);
});

describe('tandem export / tandem import', () => {
  it('exports to --out, imports into another workspace once, and writes training data', async () => {
    const out = path.join(source.dir, 'cli', 'run.tandem');
    const exported = await runCli(['export', String(runId), '--out', out, '--with-adapters', '--db', source.dbPath]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`wrote ${out}`);
    const db2 = path.join(source.dir, 'other', 'tandem.db');
    const first = await runCli(['import', out, '--db', db2]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(`imported run ${runId} of run.tandem as run 1`);
    const second = await runCli(['import', out, '--db', db2]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe('run.tandem was imported before: run 1');
    const report = await runCli(['report', '1', '--db', db2]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^# Tandem run 1: iris on stub-model/);

    const broken = path.join(source.dir, 'cli', 'broken.tandem');
    writeFileSync(broken, readFileSync(out).subarray(0, 200));
    const refused = await runCli(['import', broken, '--db', db2]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^tandem: .*broken\.tandem is damaged.*nothing was imported$/);

    const dir = path.join(source.dir, 'cli', 'rows');
    mkdirSync(dir, { recursive: true });
    const rows = await runCli(['export', String(runId), '--training-data', dir, '--db', source.dbPath]);
    expect(rows.code, rows.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/-train\.jsonl$/), expect.stringMatching(/-provenance\.jsonl$/)]));
  }, 120_000);
});
