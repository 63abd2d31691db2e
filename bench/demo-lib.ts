// Shared by the demo-model and demo benches: runs the real `tandem` CLI on the embedded demo
// model (local engine, offline) in a fresh workspace and reads its --json summary.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedDemoModel } from '../core/models/embedded.ts';
import type { ResultRow } from '../core/contract/views/results.ts';
import { runCli } from '../tests/helpers/cli.ts';

export interface CliRunSummary {
  runId: number;
  table: ResultRow[];
  seconds: number;
}

/** Null when this checkout has no demo model (the bench then reports that instead of numbers). */
export function demoModelMissing(): string | null {
  return embeddedDemoModel() ? null : 'resources/models/tandem-demo is not in this checkout (npm run train:demo-model)';
}

/** The first 12 hex digits of the demo model's weights' SHA-256: which model a number was measured on. */
export function demoModelSha(): string {
  const dir = embeddedDemoModel();
  return dir ? createHash('sha256').update(readFileSync(path.join(dir, 'model.safetensors'))).digest('hex').slice(0, 12) : 'none';
}

export async function runDemoCli(args: string[], timeoutMs: number): Promise<CliRunSummary> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-demo-'));
  const started = Date.now();
  try {
    const result = await runCli([...args, '--db', path.join(dir, 'tandem.db'), '--json'], {
      env: { OPENBLAS_NUM_THREADS: '1', TANDEM_MODELS: path.join(dir, 'models') },
      timeoutMs,
    });
    if (result.code !== 0) throw new Error(`tandem ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-5).join('\n')}`);
    const json = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { runId: number; table: ResultRow[] };
    return { runId: json.runId, table: json.table, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per-seed test scores of one strategy ('' = zero-shot) from a run's table. */
export function seedScores(table: ResultRow[], strategy: string, split = 'test'): Array<number | null> {
  return table.find((r) => r.strategy === strategy)?.cells[split]?.values ?? [];
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

export function spread(values: number[]): number {
  return values.length ? Math.max(...values) - Math.min(...values) : Number.NaN;
}
