// Run bundles: one file that carries a stored run to another workspace — its experiment, spec and
// task definition, stages, candidates, evaluations, example results, traces, LM calls (with their
// texts), retrievals, fine-tune jobs with their data files, and optionally the adapters.
//
// Format (`.tandem`): a gzip stream of JSON lines.
//   line 1   the manifest: {kind: 'tandem-run-bundle', format, tandemVersion, schemaVersion,
//            createdAt, run: {id, task, strategy, status}, tables: {name: {columns, count, minId}},
//            files: [{key, bytes, sha256}]}
//   then     one line per row, {t: table, r: [values in the manifest's column order]}, table by
//            table, and one line per file piece, {t: 'file', k: key, b64} (pieces of 1 MiB)
//   last     {t: 'end', records, origin, sha256}: sha256 of every byte before this line, origin
//            the SHA-256 of the record lines alone (the same for every export of the same stored
//            run, whatever the manifest's date).
// Written and read as streams, a page of rows at a time, so a run of 100k traces never sits in
// memory. Importing reads the file twice: first to verify it whole (gzip CRC, line count, the
// SHA-256, every file's checksum) before anything is written; then to insert it in one
// transaction, every id shifted past the target's largest one (foreign keys checked at commit),
// the ids inside JSON (demos' source traces, a job's source traces, provenance rows) remapped
// alike, and its files written under a folder of their own that is removed if the import fails.

import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db } from './database.ts';
import { StoreError, storageErrorOf } from './errors.ts';
import { currentVersion } from './migrate.ts';

export const BUNDLE_KIND = 'tandem-run-bundle';
export const BUNDLE_FORMAT = 1;
const PAGE = 500;
const PIECE = 1 << 20;

/** A bundle that cannot be read: damaged, truncated, altered, or not a bundle. Nothing was written. */
export class BundleError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-value', message, options);
  }
}

type Value = string | number | null;

/** Tables in export order, with the columns that hold ids and the table each points into. */
const TABLES: ReadonlyArray<{ name: string; key: string; ids: Record<string, string>; where: string; page?: string }> = [
  { name: 'experiments', key: 'id', ids: { id: 'experiments' }, where: 'id = (SELECT experiment_id FROM runs WHERE id = :run)' },
  { name: 'runs', key: 'id', ids: { id: 'runs', experiment_id: 'experiments' }, where: 'id = :run' },
  { name: 'stages', key: 'id', ids: { id: 'stages', run_id: 'runs', parent_stage_id: 'stages' }, where: 'run_id = :run' },
  { name: 'evaluations', key: 'id', ids: { id: 'evaluations', run_id: 'runs', stage_id: 'stages', candidate_id: 'candidates' }, where: 'run_id = :run' },
  { name: 'candidates', key: 'id', ids: { id: 'candidates', stage_id: 'stages', evaluation_id: 'evaluations' }, where: 'stage_id IN (SELECT id FROM stages WHERE run_id = :run)' },
  { name: 'traces', key: 'id', ids: { id: 'traces', run_id: 'runs', stage_id: 'stages' }, where: 'run_id = :run' },
  { name: 'example_results', key: 'id', ids: { id: 'example_results', evaluation_id: 'evaluations', trace_id: 'traces' }, where: 'evaluation_id IN (SELECT id FROM evaluations WHERE run_id = :run)' },
  { name: 'lm_calls', key: 'id', ids: { id: 'lm_calls', trace_id: 'traces', run_id: 'runs', stage_id: 'stages' }, where: 'run_id = :run' },
  {
    name: 'lm_call_bodies',
    key: 'call_id',
    ids: { call_id: 'lm_calls' },
    where: 'call_id IN (SELECT id FROM lm_calls WHERE run_id = :run)',
    // A page of the run's calls by its index, not the whole run's ids again for every page.
    page: `call_id IN (SELECT id FROM lm_calls WHERE run_id = :run AND id > :after ORDER BY id LIMIT ${PAGE})`,
  },
  { name: 'retrieval_calls', key: 'id', ids: { id: 'retrieval_calls', trace_id: 'traces', run_id: 'runs', stage_id: 'stages' }, where: 'run_id = :run' },
  { name: 'finetune_jobs', key: 'id', ids: { id: 'finetune_jobs', run_id: 'runs', stage_id: 'stages' }, where: 'run_id = :run' },
];
const TABLE_NAMES = new Set(TABLES.map((t) => t.name));

export interface BundleManifest {
  kind: typeof BUNDLE_KIND;
  format: number;
  tandemVersion: string;
  schemaVersion: number;
  createdAt: number;
  run: { id: number; task: string; strategy: string; status: string };
  tables: Record<string, { columns: string[]; count: number; minId: number | null }>;
  files: Array<{ key: string; bytes: number; sha256: string }>;
}

export interface ExportBundleOptions {
  runId: number;
  /** The bundle file to write (a `.partial` beside it until complete). */
  out: string;
  withAdapters: boolean;
  tandemVersion: string;
  now: number;
}

export interface ExportedBundle {
  file: string;
  bytes: number;
  sha256: string;
  origin: string;
  manifest: BundleManifest;
}

/** Files that travel with a run: each fine-tune job's data (and adapter), and a task file. */
function bundleFiles(db: Db, runId: number, withAdapters: boolean): Array<{ key: string; file: string }> {
  const files: Array<{ key: string; file: string }> = [];
  const jobs = db
    .prepare<[number], { id: number; train_file: string; valid_file: string | null; provenance_file: string | null; adapter_dir: string | null }>(
      'SELECT id, train_file, valid_file, provenance_file, adapter_dir FROM finetune_jobs WHERE run_id = ? ORDER BY id',
    )
    .all(runId);
  for (const job of jobs) {
    const provenance = job.provenance_file ?? path.join(path.dirname(job.train_file), 'provenance.jsonl');
    for (const [name, file] of [['train', job.train_file], ['valid', job.valid_file], ['provenance', provenance]] as const) {
      if (file && isFile(file)) files.push({ key: `job/${job.id}/${name}`, file });
    }
    if (withAdapters && job.adapter_dir && existsSync(job.adapter_dir)) {
      for (const rel of walk(job.adapter_dir)) files.push({ key: `job/${job.id}/adapter/${rel}`, file: path.join(job.adapter_dir, rel) });
    }
  }
  const config = db.prepare<[number], { config: string }>('SELECT config FROM runs WHERE id = ?').get(runId);
  const taskFile = taskSourceFile(config?.config ?? null);
  if (taskFile && isFile(taskFile)) files.push({ key: `task/${path.basename(taskFile)}`, file: taskFile });
  return files;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Relative paths of the files under a folder, sorted, with '/' separators. */
function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The task module file a spec (runs.config / experiments.config JSON) names, if any. */
function taskSourceFile(config: string | null): string | null {
  if (!config) return null;
  try {
    const source = (JSON.parse(config) as { taskSource?: { kind?: unknown; file?: unknown } }).taskSource;
    return source?.kind === 'module' && typeof source.file === 'string' ? source.file : null;
  } catch {
    return null;
  }
}

/** The file's pieces of at most PIECE bytes, read one at a time (one empty piece for an empty file). */
function* filePieces(file: string): Generator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(PIECE);
    let first = true;
    for (;;) {
      const n = readSync(fd, buffer, 0, PIECE, null);
      if (n === 0 && !first) return;
      first = false;
      yield Buffer.from(buffer.subarray(0, n));
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

function sha256File(file: string): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const piece of filePieces(file)) {
    hash.update(piece);
    bytes += piece.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Writes the run's bundle. The run must not be running (its rows would change underneath). */
export async function exportRunBundle(db: Db, options: ExportBundleOptions): Promise<ExportedBundle> {
  const run = db
    .prepare<[number], { id: number; strategy: string; status: string; task: string }>(
      'SELECT r.id, r.strategy, r.status, e.task FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?',
    )
    .get(options.runId);
  if (!run) throw new StoreError('not-found', `run ${options.runId} does not exist`);
  if (run.status === 'running' || run.status === 'pending') {
    throw new StoreError('invalid-value', `run ${run.id} is ${run.status}: export it once it has finished, failed or been cancelled`);
  }
  const tables: BundleManifest['tables'] = {};
  for (const table of TABLES) {
    const columns = (db.prepare(`PRAGMA table_info(${table.name})`).all() as Array<{ name: string }>).map((c) => c.name);
    const stats = db.prepare(`SELECT count(*) AS n, min(${table.key}) AS lo FROM ${table.name} WHERE ${table.where}`).get({ run: run.id }) as { n: number; lo: number | null };
    tables[table.name] = { columns, count: stats.n, minId: stats.lo };
  }
  const files = bundleFiles(db, run.id, options.withAdapters).map((f) => ({ ...f, ...sha256File(f.file) }));
  const manifest: BundleManifest = {
    kind: BUNDLE_KIND,
    format: BUNDLE_FORMAT,
    tandemVersion: options.tandemVersion,
    schemaVersion: currentVersion(db),
    createdAt: options.now,
    run: { id: run.id, task: run.task, strategy: run.strategy, status: run.status },
    tables,
    files: files.map((f) => ({ key: f.key, bytes: f.bytes, sha256: f.sha256 })),
  };

  mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  const partial = `${options.out}.partial`;
  const whole = createHash('sha256');
  const content = createHash('sha256');
  const gzip = createGzip();
  const sink = createWriteStream(partial);
  const done = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(sink);
  let records = 0;
  /** Writes lines (records unless it is the manifest), waiting when the gzip stream is full. */
  const write = async (lines: string[], isRecord: boolean): Promise<void> => {
    if (lines.length === 0) return;
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    whole.update(bytes);
    if (isRecord) {
      content.update(bytes);
      records += lines.length;
    }
    if (!gzip.write(bytes)) await new Promise<void>((resolve) => gzip.once('drain', resolve));
  };
  try {
    await write([JSON.stringify(manifest)], false);
    for (const table of TABLES) {
      const { columns } = tables[table.name]!;
      const where = table.page ?? `${table.where} AND ${table.key} > :after`;
      const select = db.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${table.name} WHERE ${where} ORDER BY ${table.key} LIMIT ${PAGE}`).raw(true);
      let after = -Infinity;
      for (;;) {
        const rows = select.all({ run: run.id, after }) as Value[][];
        await write(rows.map((row) => JSON.stringify({ t: table.name, r: row })), true);
        if (rows.length < PAGE) break;
        after = rows.at(-1)![columns.indexOf(table.key)] as number;
      }
    }
    for (const f of files) {
      for (const piece of filePieces(f.file)) await write([JSON.stringify({ t: 'file', k: f.key, b64: piece.toString('base64') })], true);
    }
    const origin = content.digest('hex');
    const sha256 = whole.digest('hex');
    gzip.end(`${JSON.stringify({ t: 'end', records, origin, sha256 })}\n`);
    await done;
    renameSync(partial, options.out);
    return { file: options.out, bytes: statSync(options.out).size, sha256, origin, manifest };
  } catch (error) {
    gzip.destroy();
    sink.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

function quote(column: string): string {
  return `"${column.replace(/"/g, '""')}"`;
}

type Line = { t: string; r?: unknown; k?: unknown; b64?: unknown };

/** Reads a bundle's lines, each with its raw bytes; a gzip error (truncated, altered) becomes a BundleError. */
async function* bundleLines(file: string): AsyncGenerator<{ text: string; bytes: Buffer }> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let carry = Buffer.alloc(0);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let nl: number;
      while ((nl = data.indexOf(10)) >= 0) {
        const bytes = data.subarray(0, nl + 1);
        yield { text: bytes.subarray(0, nl).toString('utf8'), bytes };
        data = data.subarray(nl + 1);
      }
      carry = Buffer.from(data);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BundleError(`no bundle at ${file}`);
    if (code === 'EISDIR') throw new BundleError(`${file} is a folder, not a bundle`);
    throw new BundleError(`${file} is damaged or not a Tandem bundle (gzip says: ${(error as Error).message}); nothing was imported`, { cause: error });
  } finally {
    source.destroy();
  }
  if (carry.length > 0) throw new BundleError(`${file} is damaged: it ends in the middle of a line; nothing was imported`);
}

export interface VerifiedBundle {
  manifest: BundleManifest;
  origin: string;
  sha256: string;
  records: number;
}

/** Reads the whole bundle and checks it; writes nothing. */
export async function verifyBundle(file: string): Promise<VerifiedBundle> {
  const damaged = (why: string) => new BundleError(`${file} is damaged: ${why}; nothing was imported`);
  const whole = createHash('sha256');
  const content = createHash('sha256');
  const fileHashes = new Map<string, { hash: ReturnType<typeof createHash>; bytes: number }>();
  let manifest: BundleManifest | undefined;
  type End = { records?: unknown; origin?: unknown; sha256?: unknown };
  let end: End | undefined;
  let records = 0;
  const counts = new Map<string, number>();
  for await (const { text, bytes } of bundleLines(file)) {
    if (end) throw damaged('there is data after its end line');
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      throw manifest ? damaged(`line ${records + 2} is not JSON`) : new BundleError(`${file} is not a Tandem run bundle (its first line is not a manifest); nothing was imported`);
    }
    if (!manifest) {
      manifest = checkManifest(file, line as unknown as BundleManifest);
      whole.update(bytes);
      continue;
    }
    if (line.t === 'end') {
      end = line as unknown as End;
      continue;
    }
    whole.update(bytes);
    content.update(bytes);
    records++;
    if (line.t === 'file') {
      if (typeof line.k !== 'string' || typeof line.b64 !== 'string') throw damaged(`line ${records + 1} is not a file piece`);
      if (fileKey(line.k) === null) throw new BundleError(`${file} holds a file this Tandem does not write (${line.k.slice(0, 200)}); nothing was imported`);
      const data = Buffer.from(line.b64, 'base64');
      const entry = fileHashes.get(line.k) ?? { hash: createHash('sha256'), bytes: 0 };
      entry.hash.update(data);
      entry.bytes += data.length;
      fileHashes.set(line.k, entry);
    } else if (TABLE_NAMES.has(line.t) && Array.isArray(line.r) && line.r.length === manifest.tables[line.t]?.columns.length) {
      counts.set(line.t, (counts.get(line.t) ?? 0) + 1);
    } else throw damaged(`line ${records + 1} is not a row of a known table`);
  }
  if (!manifest) throw new BundleError(`${file} is empty; nothing was imported`);
  if (!end) throw damaged('it is truncated (its end line is missing)');
  const sha256 = whole.digest('hex');
  const origin = content.digest('hex');
  if (end.sha256 !== sha256 || end.origin !== origin || end.records !== records) throw damaged('its checksum does not match its contents (the file was altered)');
  for (const [name, table] of Object.entries(manifest.tables)) {
    if ((counts.get(name) ?? 0) !== table.count) throw damaged(`it holds ${counts.get(name) ?? 0} rows of ${name}, its manifest says ${table.count}`);
  }
  for (const f of manifest.files) {
    const got = fileHashes.get(f.key);
    if (!got || got.bytes !== f.bytes || got.hash.digest('hex') !== f.sha256) throw damaged(`file ${f.key} does not match its checksum`);
  }
  return { manifest, origin, sha256, records };
}

function checkManifest(file: string, manifest: BundleManifest): BundleManifest {
  const m = manifest as Partial<BundleManifest> | null;
  if (!m || m.kind !== BUNDLE_KIND) throw new BundleError(`${file} is not a Tandem run bundle; nothing was imported`);
  if (m.format !== BUNDLE_FORMAT) throw new BundleError(`${file} is a run bundle of format ${String(m.format)}; this Tandem reads format ${BUNDLE_FORMAT}; nothing was imported`);
  if (!m.tables || !m.run || !Array.isArray(m.files)) throw new BundleError(`${file} has an incomplete manifest; nothing was imported`);
  for (const name of Object.keys(m.tables)) if (!TABLE_NAMES.has(name)) throw new BundleError(`${file} holds a table this Tandem does not know (${name}); nothing was imported`);
  return manifest;
}

export interface ImportBundleOptions {
  file: string;
  /** Where the bundle's files go: a new folder per imported run is made under it. */
  filesDir: string;
  now: number;
}

export interface ImportedBundle {
  runId: number;
  experimentId: number;
  /** False when this bundle was imported before: runId is that run. */
  imported: boolean;
  origin: string;
  manifest: BundleManifest;
}

/** The run an earlier import of this origin made, if it is still there. */
export function importedRunOf(db: Db, origin: string): number | null {
  const row = db.prepare<[string], { run_id: number }>('SELECT run_id FROM imported_runs WHERE origin = ?').get(origin);
  return row?.run_id ?? null;
}

/**
 * Imports a bundle in one transaction. Verifies it whole first; a bundle imported before returns
 * its run. The transaction stays open across the file's reads: nothing else may use this
 * connection meanwhile (the CLI holds the workspace lock).
 */
export async function importRunBundle(db: Db, options: ImportBundleOptions): Promise<ImportedBundle> {
  if (db.inTransaction) throw new StoreError('invalid-value', 'another import or write is in progress on this workspace: try again once it has finished');
  const verified = await verifyBundle(options.file);
  const { manifest, origin } = verified;
  const existing = importedRunOf(db, origin);
  if (existing !== null) {
    const experimentId = db.prepare<[number], { experiment_id: number }>('SELECT experiment_id FROM runs WHERE id = ?').get(existing)!.experiment_id;
    return { runId: existing, experimentId, imported: false, origin, manifest };
  }
  const targetColumns = new Map<string, Set<string>>();
  for (const table of TABLES) targetColumns.set(table.name, new Set((db.prepare(`PRAGMA table_info(${table.name})`).all() as Array<{ name: string }>).map((c) => c.name)));
  for (const [name, table] of Object.entries(manifest.tables)) {
    const missing = table.columns.filter((c) => !targetColumns.get(name)!.has(c));
    if (missing.length) throw new BundleError(`${options.file} was written by a newer Tandem (${name} has columns ${missing.join(', ')} this workspace lacks); update Tandem to import it`);
  }

  if (db.inTransaction) throw new StoreError('invalid-value', 'another import or write is in progress on this workspace: try again once it has finished');
  db.exec('BEGIN IMMEDIATE');
  const folder = path.join(options.filesDir, origin.slice(0, 16));
  let wroteFolder = false;
  try {
    db.pragma('defer_foreign_keys = ON');
    // Every id moves past the target's largest: new = old + offset.
    const offsets = new Map<string, number>();
    for (const table of TABLES) {
      if (table.key !== 'id') continue;
      const max = (db.prepare(`SELECT coalesce(max(id), 0) AS m FROM ${table.name}`).get() as { m: number }).m;
      const ftsMax = table.name === 'lm_calls' || table.name === 'example_results'
        ? (db.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM ${table.name}_fts`).get() as { m: number }).m
        : 0;
      offsets.set(table.name, Math.max(max, ftsMax) + 1 - (manifest.tables[table.name]?.minId ?? 1));
    }
    const mapId = (table: string, id: unknown): unknown => (typeof id === 'number' ? id + offsets.get(table)! : id);
    const remapTraces = (json: unknown): unknown => remapKey(json, 'sourceTraceId', (id) => mapId('traces', id));
    const jobFiles = new Map<number, Record<string, string>>();
    const newJobFolder = (oldJobId: number) => path.join(folder, `job-${mapId('finetune_jobs', oldJobId) as number}`);
    // Files first, piece by piece (rows name their paths). Provenance rows name trace ids: they are
    // rewritten whole (one line per training row, small beside the rows themselves).
    let taskFile: string | null = null;
    const provenance = new Map<string, Buffer[]>();
    const started = new Set<string>();
    for await (const { text } of bundleLines(options.file)) {
      const line = JSON.parse(text) as Line;
      if (line.t !== 'file') continue;
      const key = line.k as string;
      const place = fileKey(key)!;
      const piece = Buffer.from(line.b64 as string, 'base64');
      let target: string;
      if (place.kind === 'job') {
        const dir = newJobFolder(place.jobId);
        const entry = jobFiles.get(place.jobId) ?? {};
        if (place.name === 'adapter') {
          target = path.join(dir, 'adapter', ...place.rel.split('/'));
          entry.adapter = path.join(dir, 'adapter');
        } else {
          target = path.join(dir, `${place.name}.jsonl`);
          entry[place.name] = target;
        }
        jobFiles.set(place.jobId, entry);
        if (place.name === 'provenance') {
          provenance.set(target, [...(provenance.get(target) ?? []), piece]);
          continue;
        }
      } else {
        target = path.join(folder, 'task', place.name);
        taskFile = target;
      }
      if (!started.has(target)) {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, piece);
        started.add(target);
      } else appendFileSync(target, piece);
      wroteFolder = true;
    }
    for (const [target, pieces] of provenance) {
      const lines = Buffer.concat(pieces).toString('utf8').split('\n').map((l) => (l.trim() === '' ? l : JSON.stringify(remapKey(JSON.parse(l), 'traceId', (id) => mapId('traces', id)))));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, lines.join('\n'));
      wroteFolder = true;
    }

    const inserts = new Map<string, { stmt: ReturnType<Db['prepare']>; columns: string[] }>();
    for (const [name, table] of Object.entries(manifest.tables)) {
      inserts.set(name, {
        columns: table.columns,
        stmt: db.prepare(`INSERT INTO ${name} (${table.columns.map(quote).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`),
      });
    }
    const ftsCall = db.prepare('INSERT INTO lm_calls_fts (rowid, prompt, completion) VALUES (?, ?, ?)');
    const spec = Object.fromEntries(TABLES.map((t) => [t.name, t]));
    let runId = 0;
    let experimentId = 0;
    const seen = createHash('sha256');
    let lineNo = 0;
    for await (const { text, bytes } of bundleLines(options.file)) {
      if (lineNo++ === 0) continue;
      const line = JSON.parse(text) as Line;
      if (line.t === 'end' || line.t === 'file') {
        if (line.t === 'file') seen.update(bytes);
        continue;
      }
      seen.update(bytes);
      const insert = inserts.get(line.t)!;
      const row: Record<string, unknown> = {};
      insert.columns.forEach((c, i) => (row[c] = (line.r as unknown[])[i]));
      for (const [column, target] of Object.entries(spec[line.t]!.ids)) row[column] = mapId(target, row[column]);
      switch (line.t) {
        case 'experiments':
          experimentId = row.id as number;
          row.config = rewriteTaskFile(row.config, taskFile);
          break;
        case 'runs':
          runId = row.id as number;
          row.config = rewriteTaskFile(row.config, taskFile);
          break;
        case 'stages':
        case 'candidates':
          if (typeof row.program_state === 'string') row.program_state = JSON.stringify(remapTraces(JSON.parse(row.program_state)));
          break;
        case 'finetune_jobs': {
          if (typeof row.source_traces === 'string') row.source_traces = JSON.stringify((JSON.parse(row.source_traces) as unknown[]).map((id) => mapId('traces', id)));
          const oldId = (line.r as unknown[])[insert.columns.indexOf('id')] as number;
          const moved = jobFiles.get(oldId) ?? {};
          const dir = newJobFolder(oldId);
          row.train_file = moved.train ?? path.join(dir, 'train.jsonl');
          row.valid_file = row.valid_file === null ? null : (moved.valid ?? path.join(dir, 'valid.jsonl'));
          row.provenance_file = moved.provenance ?? (row.provenance_file === null ? null : path.join(dir, 'provenance.jsonl'));
          row.adapter_dir = moved.adapter ?? null;
          break;
        }
        case 'lm_call_bodies': {
          const messages = JSON.parse(row.messages as string) as Array<{ content?: unknown }>;
          ftsCall.run(row.call_id as number, messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n\n'), (row.completion as string | null) ?? '');
          break;
        }
      }
      try {
        insert.stmt.run(insert.columns.map((c) => row[c] as Value));
      } catch (error) {
        // A full disk or a read-only file is said as such; anything else is this bundle's row.
        throw storageErrorOf(error, { file: db.name }) ?? new BundleError(`${options.file}: a row of ${line.t} cannot be stored (SQLite says: ${(error as Error).message}); nothing was imported`, { cause: error });
      }
    }
    if (seen.digest('hex') !== origin) throw new BundleError(`${options.file} changed while it was being imported; nothing was imported`);
    // The trace list's search index (migration 6), for the imported results.
    const results = manifest.tables.example_results;
    if (results && results.count > 0) {
      db.prepare(
        `INSERT INTO example_results_fts (rowid, text)
           SELECT er.id, coalesce(er.example_id, '') || ' ' || coalesce(t.inputs, '') || ' ' || coalesce(er.prediction, '')
           FROM example_results er LEFT JOIN traces t ON t.id = er.trace_id
           WHERE er.evaluation_id IN (SELECT id FROM evaluations WHERE run_id = ?) ORDER BY er.id`,
      ).run(runId);
    }
    db.prepare('INSERT INTO imported_runs (origin, run_id, source_run, bundle, imported_at) VALUES (?, ?, ?, ?, ?)').run(origin, runId, manifest.run.id, path.basename(options.file), options.now);
    try {
      db.exec('COMMIT'); // the deferred foreign keys are checked here
    } catch (error) {
      throw storageErrorOf(error, { file: db.name }) ?? new BundleError(`${options.file}: its rows do not fit together (SQLite says: ${(error as Error).message}); nothing was imported`, { cause: error });
    }
    return { runId, experimentId, imported: true, origin, manifest };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (wroteFolder) rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

type FilePlace = { kind: 'job'; jobId: number; name: 'train' | 'valid' | 'provenance' } | { kind: 'job'; jobId: number; name: 'adapter'; rel: string } | { kind: 'task'; name: string };

/** Where a bundle's file key goes, or null for a key this Tandem does not write (or one that would leave its folder). */
function fileKey(key: string): FilePlace | null {
  const safe = (rel: string) => rel.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\\') && !part.includes(':'));
  const job = /^job\/(\d+)\/(train|valid|provenance)$/.exec(key);
  if (job) return { kind: 'job', jobId: Number(job[1]), name: job[2] as 'train' | 'valid' | 'provenance' };
  const adapter = /^job\/(\d+)\/adapter\/(.+)$/.exec(key);
  if (adapter && safe(adapter[2]!)) return { kind: 'job', jobId: Number(adapter[1]), name: 'adapter', rel: adapter[2]! };
  const task = /^task\/([^/]+)$/.exec(key);
  if (task && safe(task[1]!)) return { kind: 'task', name: task[1]! };
  return null;
}

/** A copy of a JSON value with every number under `key` (at any depth) mapped. */
function remapKey(value: unknown, key: string, map: (id: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => remapKey(v, key, map));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === key && typeof v === 'number' ? map(v) : remapKey(v, key, map)]));
  }
  return value;
}

/** A spec whose task module file came with the bundle points at the imported copy. */
function rewriteTaskFile(config: unknown, taskFile: string | null): unknown {
  if (typeof config !== 'string' || taskFile === null) return config;
  const parsed = JSON.parse(config) as { taskSource?: { kind?: unknown; file?: unknown } };
  if (parsed.taskSource?.kind === 'module') parsed.taskSource.file = taskFile;
  return JSON.stringify(parsed);
}

/** The store's face of run bundles (the functions above on its connection). */
export class BundleRepository {
  constructor(private readonly db: Db) {}

  export(options: ExportBundleOptions): Promise<ExportedBundle> {
    return exportRunBundle(this.db, options);
  }

  import(options: ImportBundleOptions): Promise<ImportedBundle> {
    return importRunBundle(this.db, options);
  }

  /** The run an earlier import of this bundle origin made, if it is still there. */
  importedRun(origin: string): number | null {
    return importedRunOf(this.db, origin);
  }
}
