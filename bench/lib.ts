// Shared helpers for benchmarks: each bench returns rows; this prints them as a table and
// writes bench/results/<name>.json with the rows, the goals and the machine they ran on.

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** Human-readable goal, e.g. ">= 2000"; omitted when the row is informational. */
  goal?: string;
  /** Whether the goal is met; omitted when there is no goal. */
  met?: boolean;
}

export interface BenchResult {
  name: string;
  rows: BenchRow[];
  notes?: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = path.join(here, 'results');

export function atLeast(metric: string, value: number, unit: string, goal: number): BenchRow {
  return { metric, value, unit, goal: `>= ${goal}`, met: value >= goal };
}

export function atMost(metric: string, value: number, unit: string, goal: number): BenchRow {
  return { metric, value, unit, goal: `<= ${goal}`, met: value <= goal };
}

export function info(metric: string, value: number, unit: string): BenchRow {
  return { metric, value, unit };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function formatTable(result: BenchResult): string {
  const header = ['metric', 'value', 'unit', 'goal', 'met'];
  const body = result.rows.map((r) => [
    r.metric,
    Number.isNaN(r.value) ? '—' : Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(3),
    r.unit,
    r.goal ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [`## ${result.name}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ...(result.notes ?? []).map((n) => `note: ${n}`)].join('\n');
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  const payload = {
    ...result,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  };
  writeFileSync(file, JSON.stringify(payload, null, 2) + '\n');
  return file;
}

/**
 * Finishes a benchmark database built at `tmp`: folds the WAL into the file and gathers planner
 * statistics once (as a long-lived workspace would have), then moves it to `file`, the cache.
 */
export function finishBenchDatabase(tmp: string, file: string): void {
  const db = new Database(tmp);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(tmp, file);
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
}
