// The examples a researcher copies (examples/): they type-check against the public entry as a
// user's project would (`import … from 'tandem'`, nothing from core/), and each runs end to end
// through the real `tandem run <task file>` against the stub OpenAI-compatible server, with its
// checks, retrievals, report and resume. A copy outside the repository (no package.json near it)
// runs too: the 'tandem' specifier resolves wherever the task file lives, and the task reads the
// data next to the copy. The stub answers unknown fields with "stub <field>", so scores are ~0:
// these tests are about mechanics, not accuracy.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');
const run = promisify(execFile);

let stub: StubServerHandle;
let dir: string;

beforeAll(async () => {
  stub = await startStubServer({});
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-examples-'));
});

afterAll(async () => {
  await stub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const runArgs = (taskFile: string, db: string, extra: string[] = []) => [
  'run',
  taskFile,
  '--strategies',
  'p',
  '--seeds',
  '1',
  '--candidates',
  '1',
  '--lm',
  'openai:stub-model',
  '--base-url',
  stub.baseUrl,
  '--json',
  '--db',
  db,
  ...extra,
];

/** tsc's exit code and output for a project. */
async function typeCheck(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(TSC, ['--noEmit', '-p', project], { cwd: ROOT });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

interface StoredRun {
  runId: number;
  /** Per stage prefix, the number of dev and test examples evaluated. */
  sizes: Record<string, { dev: number; test: number }>;
  /** The first dev trace of the baseline. */
  trace: NonNullable<ReturnType<ReturnType<typeof openStore>['traces']['get']>>;
}

function storedRun(db: string, runId: number): StoredRun {
  const store = openStore(db);
  try {
    const stages = store.stages.listForRun(runId);
    const sizes: StoredRun['sizes'] = {};
    for (const stage of stages) {
      const evaluations = store.evaluations.listForStage(stage.id);
      sizes[stage.prefix] = { dev: evaluations.find((e) => e.split === 'dev')!.n, test: evaluations.find((e) => e.split === 'test')!.n };
    }
    const baseline = stages.find((s) => s.prefix === '')!;
    const dev = store.evaluations.listForStage(baseline.id).find((e) => e.split === 'dev')!;
    const first = store.exampleResultPages.page(dev.id, { sort: 'index', limit: 1 }).rows[0]!;
    return { runId, sizes, trace: store.traces.get(first.traceId!)! };
  } finally {
    store.close();
  }
}

/** The report renders, and resuming the finished run says there is nothing to resume. */
async function expectReportAndResume(db: string, runId: number, task: string, checkLabels: string[]): Promise<void> {
  const report = await runCli(['report', String(runId), '--format', 'markdown', '--db', db]);
  expect(report.code, report.stderr).toBe(0);
  expect(report.stdout).toContain(`# Tandem run ${runId}: ${task} on stub-model`);
  expect(report.stdout).toContain('## Intermediate checks');
  for (const label of checkLabels) expect(report.stdout).toContain(label);
  const resume = await runCli(['resume', String(runId), '--db', db]);
  expect(resume.code).toBe(1);
  expect(resume.stderr).toMatch(new RegExp(`run ${runId} already finished; nothing to resume`));
}

describe('examples/', () => {
  it('type-check against the public entry as a user project would (tsc -p examples/tsconfig.json)', async () => {
    const result = await typeCheck(path.join(EXAMPLES, 'tsconfig.json'));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('a task that misuses the public API fails the same type check (the entry is typed)', async () => {
    const project = path.join(dir, 'typed');
    cpSync(path.join(EXAMPLES, 'support-triage'), project, { recursive: true });
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(EXAMPLES, 'tsconfig.json'), compilerOptions: { typeRoots: [path.join(ROOT, 'node_modules', '@types')] }, files: ['task.ts'] }),
    );
    // A metric returning a string, where the public type asks for a number.
    const source = readFileSync(path.join(project, 'task.ts'), 'utf8').replace('metric: triageScore,', "metric: () => 'right',");
    writeFileSync(path.join(project, 'task.ts'), source);
    const result = await typeCheck(path.join(project, 'tsconfig.json'));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/task\.ts\(\d+,\d+\): error TS2322: .*string.*number/s);
  }, 120_000);

  it('support-triage: runs its two stages on the bundled CSV, measures the product-area check, reports and refuses to resume a finished run', async () => {
    const db = path.join(dir, 'triage', 'tandem.db');
    const result = await runCli(runArgs(path.join(EXAMPLES, 'support-triage', 'task.ts'), db), { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.task).toBe('support-triage');
    expect(summary.status).toBe('finished');
    expect(summary.table.map((r: { strategy: string }) => r.strategy)).toEqual(['', 'p']);
    expect(summary.checks.definitions).toEqual([
      { name: 'product_area', label: 'area', module: 'summarize', description: "Whether the summarize stage named the message's gold product area." },
    ]);
    expect(summary.checks.rows.map((r: { strategy: string }) => r.strategy)).toEqual(['', 'p']);
    // The stub names no product area right: measured (0), not missing.
    expect(summary.checks.rows[0].cells.dev.product_area.mean).toBe(0);

    const stored = storedRun(db, summary.runId);
    // 72 tickets, split in thirds.
    expect(stored.sizes).toEqual({ '': { dev: 24, test: 24 }, p: { dev: 24, test: 24 } });
    expect(stored.trace.calls.map((c) => c.predictor)).toEqual(['summarize', 'triage']);
    // Stage 2 read stage 1's summary.
    expect(stored.trace.calls[1]!.inputs.summary).toBe(stored.trace.calls[0]!.outputs!.summary);
    expect(stored.trace.prediction).toEqual({ reasoning: expect.any(String), category: 'stub category', priority: 'stub priority' });
    expect(stored.trace.checks).toEqual({ product_area: 0 });
    expect(stored.trace.retrievals ?? []).toEqual([]);

    await expectReportAndResume(db, summary.runId, 'support-triage', ['dev area', 'area (summarize)']);
  }, 180_000);

  it('rag-qa: builds its index from corpus.jsonl, retrieves 3 passages per question, measures F1 and retrieval hits', async () => {
    const db = path.join(dir, 'rag', 'tandem.db');
    const result = await runCli(runArgs(path.join(EXAMPLES, 'rag-qa', 'task.ts'), db), { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/building passage index "rag-qa-example" from the passages of .*examples\/rag-qa\/corpus\.jsonl \(40 passages\)/);
    const summary = JSON.parse(result.stdout);
    expect(summary.task).toBe('rag-qa');
    expect(summary.checks.definitions.map((d: { name: string; module: string }) => [d.name, d.module])).toEqual([
      ['answer_f1', 'answer'],
      ['retrieval_hit', 'retrieve'],
    ]);
    for (const row of summary.checks.rows) {
      for (const split of ['dev', 'test']) {
        // BM25 over the question finds the answering passage for most questions of this corpus.
        expect(row.cells[split].retrieval_hit.mean).toBeGreaterThan(50);
        expect(row.cells[split].answer_f1.mean).not.toBeNull();
      }
    }

    const stored = storedRun(db, summary.runId);
    // 48 questions, split in thirds.
    expect(stored.sizes).toEqual({ '': { dev: 16, test: 16 }, p: { dev: 16, test: 16 } });
    const { trace } = stored;
    expect(trace.calls.map((c) => c.predictor)).toEqual(['answer']);
    expect(trace.retrievals!.map((r) => [r.module, r.k, r.backend, r.retriever, r.afterCalls, r.query])).toEqual([
      ['retrieve', 3, 'bm25', 'bm25:rag-qa-example', 0, trace.inputs.question],
    ]);
    expect(trace.retrievals![0]!.passages).toHaveLength(3);
    // The answer module saw the retrieved passages as "Title | text".
    expect(trace.calls[0]!.inputs.context).toEqual(trace.retrievals![0]!.passages.map((p) => `${p.title} | ${p.text}`));
    expect(Object.keys(trace.checks!)).toEqual(['answer_f1', 'retrieval_hit']);

    await expectReportAndResume(db, summary.runId, 'rag-qa', ['dev F1', 'dev hit@3']);
  }, 180_000);

  it('a copy of an example outside the repository runs from there, reading the data next to it (and --data elsewhere)', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'my-tandem-task-'));
    try {
      const copy = path.join(outside, 'triage');
      cpSync(path.join(EXAMPLES, 'support-triage'), copy, { recursive: true });
      // Fewer tickets in the copy: the splits show it read its own tickets.csv.
      const lines = readFileSync(path.join(copy, 'tickets.csv'), 'utf8').trimEnd().split('\n');
      writeFileSync(path.join(copy, 'tickets.csv'), [lines[0], ...lines.slice(1).filter((_, i) => i % 2 === 0)].join('\n') + '\n');
      const db = path.join(outside, 'ws', 'tandem.db');
      const result = await runCli(runArgs(path.join(copy, 'task.ts'), db), { timeoutMs: 120_000 });
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary.task).toBe('support-triage');
      expect(storedRun(db, summary.runId).sizes['']).toEqual({ dev: 12, test: 12 });

      // The rag example on a data folder of its own: another index, built from that folder's corpus.
      const rag = path.join(outside, 'rag');
      cpSync(path.join(EXAMPLES, 'rag-qa'), rag, { recursive: true });
      const data = path.join(outside, 'handbook');
      cpSync(path.join(EXAMPLES, 'rag-qa'), data, { recursive: true, filter: (src) => !src.endsWith('.ts') });
      const withData = await runCli(runArgs(path.join(rag, 'task.ts'), db, ['--data', data]), { timeoutMs: 120_000 });
      expect(withData.code, withData.stderr).toBe(0);
      expect(withData.stderr).toMatch(/building passage index "rag-qa-[0-9a-f]{10}" from the passages of .*handbook\/corpus\.jsonl \(40 passages\)/);
      const ragRun = storedRun(db, JSON.parse(withData.stdout).runId);
      expect(ragRun.trace.retrievals![0]!.retriever).toMatch(/^bm25:rag-qa-[0-9a-f]{10}$/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  }, 240_000);

  it('the no-code sentiment example runs "p, p -> w" with a trainer command and reports', async () => {
    const db = path.join(dir, 'sentiment', 'tandem.db');
    const args = runArgs(path.join(EXAMPLES, 'sentiment', 'task.yaml'), db).map((a) => (a === 'p' ? 'p, p -> w' : a));
    // The stub never names a sentiment right, so Θ has no passing traces: the trainer is not called and p -> w is "—".
    const result = await runCli([...args, '--finetune-command', 'false {train} {out}'], { timeoutMs: 180_000 });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.task).toBe('product-sentiment');
    expect(summary.table.map((r: { strategy: string }) => r.strategy)).toEqual(['', 'p', 'p -> w']);
    expect(summary.stages.find((s: { prefix: string }) => s.prefix === 'p -> w')).toMatchObject({ status: 'finished', outcome: 'no-passing-traces' });
    const report = await runCli(['report', String(summary.runId), '--format', 'markdown', '--db', db]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(`# Tandem run ${summary.runId}: product-sentiment on stub-model`);
    expect(report.stdout).toMatch(/\| p -> w \| — \| — \|/);
  }, 240_000);
});
