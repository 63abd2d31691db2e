// `tandem run hotpotqa` end to end, offline: the real CLI against the OpenAI-compatible stub
// server, retrieval from the task's BM25 index of its context paragraphs (built on first use in the
// workspace) or from a ColBERTv2-compatible server on loopback, Θ through the engine's real LoRA
// trainer on a tiny checkpoint as the fine-tuning command. A small data file of bundled questions
// keeps it quick (the splits scale down with a warning).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDir } from '../../core/engine/engine-paths.ts';
import { findPython } from '../../core/engine/python.ts';
import { openStore } from '../../core/store/index.ts';
import { bundledHotpotQAPath, hotpotPassages, loadHotpotQA } from '../../core/tasks/hotpotqa-data.ts';
import { startFakeColbertServer, type FakeColbertServer } from '../fixtures/fake-colbert-server.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';

const env = { PYTHONPATH: engineDir(), TANDEM_EXIT_WITH_PARENT: '1', OPENBLAS_NUM_THREADS: '1' };
const QUESTIONS = 60;

let stub: StubServerHandle;
let dir: string;
let data: string;
let trainer: string;
let tiny: string;

beforeAll(async () => {
  stub = await startStubServer({});
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-hotpotqa-'));
  const lines = gunzipSync(readFileSync(bundledHotpotQAPath())).toString('utf8').split('\n').filter(Boolean);
  data = path.join(dir, 'hotpot-small.jsonl');
  writeFileSync(data, lines.slice(0, QUESTIONS).join('\n') + '\n');
  tiny = await makeTinyCheckpoint(path.join(dir, 'tiny'));
  const python = (await findPython()).executable;
  trainer = `${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --batch-size 4 --max-seq-len 4096 --seed {seed}`;
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const base = () => ['--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--data', data, '--seeds', '1', '--candidates', '1', '--json'];

describe('tandem run hotpotqa', () => {
  it('runs p, w and p -> w -> p over BM25 retrieval and reports EM, F1, recall per hop and what each stage learned from', async () => {
    const db = path.join(dir, 'ws', 'tandem.db');
    const result = await runCli(['run', 'hotpotqa', '--strategies', 'p, w, p -> w -> p', ...base(), '--finetune-command', trainer, '--db', db], { env, timeoutMs: 400_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/60 questions given, fewer than the paper's 3000 \(1000\/500\/1500\); splits scaled to 20\/10\/30/);
    expect(result.stderr).toMatch(/building passage index "hotpotqa-[0-9a-f]{10}" from the context paragraphs of .*hotpot-small\.jsonl \(\d+ passages\)/);
    const summary = JSON.parse(result.stdout);
    expect(summary.table.map((r: { strategy: string }) => r.strategy)).toEqual(['', 'p', 'w', 'p -> w -> p']);
    const checks = summary.checks;
    expect(checks.definitions.map((d: { name: string }) => d.name)).toEqual(['recall_hop1', 'recall_hop2', 'answer_f1']);
    for (const row of checks.rows) {
      for (const split of ['dev', 'test']) {
        const recall1 = row.cells[split].recall_hop1.mean;
        const recall2 = row.cells[split].recall_hop2.mean;
        expect(recall1).toBeGreaterThan(0);
        // The context only grows: hop 2 finds at least what hop 1 found.
        expect(recall2).toBeGreaterThanOrEqual(recall1);
        expect(row.cells[split].answer_f1.mean).not.toBeNull();
      }
    }
    // Θ trained on passing traces; the stage says how many of them had both gold paragraphs.
    const training = checks.sources.filter((s: { source: string }) => s.source === 'training');
    expect(training.length).toBeGreaterThan(0);
    for (const s of training) {
      expect(s.traces).toBeGreaterThan(0);
      expect(s.checks.recall_hop2.n).toBe(s.traces);
      expect(s.checks.recall_hop2.full).toBeLessThanOrEqual(s.traces);
    }

    const store = openStore(db);
    try {
      const run = summary.runId;
      const stages = store.stages.listForRun(run);
      const baseline = stages.find((s) => s.prefix === '')!;
      const evaluation = store.evaluations.listForStage(baseline.id).find((e) => e.split === 'dev')!;
      const page = store.exampleResultPages.page(evaluation.id, { sort: 'index', limit: 3 });
      const trace = store.traces.get(page.rows[0]!.traceId!)!;
      // Three LM modules and two retrievals, each retrieval after its hop's query.
      expect(trace.calls.map((c) => c.predictor)).toEqual(['generate_query[0]', 'generate_query[1]', 'generate_answer']);
      expect(trace.retrievals!.map((r) => [r.module, r.k, r.backend, r.afterCalls])).toEqual([
        ['retrieve[0]', 3, 'bm25', 1],
        ['retrieve[1]', 3, 'bm25', 2],
      ]);
      expect(trace.retrievals![0]!.query).toBe(trace.calls[0]!.outputs!.search_query);
      expect(trace.retrievals![0]!.passages).toHaveLength(3);
      expect(Object.keys(trace.checks!)).toEqual(['recall_hop1', 'recall_hop2', 'answer_f1']);
      expect(page.rows[0]!.checks).toEqual(trace.checks);
      // The answer module saw the passages of both hops, deduplicated.
      const context = trace.calls[2]!.inputs.context as string[];
      expect(new Set(context).size).toBe(context.length);
      // Every fine-tune job knows the traces its rows came from, pooled over the three modules.
      const jobs = store.finetuneJobs.listForRun(run);
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        expect(job.predictors.sort()).toEqual(['generate_answer', 'generate_query[0]', 'generate_query[1]']);
        expect(job.sourceTraceIds!.length).toBeGreaterThan(0);
      }
    } finally {
      store.close();
    }

    // A rerun finds the index built and the retrievals cached: nothing is searched again.
    const again = await runCli(['run', 'hotpotqa', '--strategy', 'p', ...base(), '--db', db], { env, timeoutMs: 200_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/building passage index/);
    const rerun = JSON.parse(again.stdout).runId;
    const reopened = openStore(db);
    try {
      const first = reopened.stages.listForRun(rerun).find((s) => s.prefix === '')!;
      const dev = reopened.evaluations.listForStage(first.id).find((e) => e.split === 'dev')!;
      const rows = reopened.exampleResultPages.page(dev.id, { sort: 'index', limit: 100 }).rows;
      const retrievals = rows.flatMap((r) => reopened.traces.get(r.traceId!)!.retrievals ?? []);
      expect(retrievals.length).toBe(2 * rows.length);
      expect(retrievals.every((r) => r.cached)).toBe(true);
    } finally {
      reopened.close();
    }
  }, 600_000);

  it('trains one adapter per module with --per-module', async () => {
    const db = path.join(dir, 'per-module', 'tandem.db');
    const result = await runCli(['run', 'hotpotqa', '--strategy', 'w', '--per-module', ...base(), '--finetune-command', trainer, '--db', db], { env, timeoutMs: 400_000 });
    expect(result.code, result.stderr).toBe(0);
    const store = openStore(db);
    try {
      const jobs = store.finetuneJobs.listForRun(JSON.parse(result.stdout).runId);
      expect(jobs.map((j) => j.predictors)).toEqual([['generate_query[0]'], ['generate_query[1]'], ['generate_answer']]);
    } finally {
      store.close();
    }
  }, 400_000);

  it('runs p, w and p -> w -> p on the local engine, which serves the model and trains its adapters', async () => {
    // A tiny random checkpoint answers nothing the adapter can parse: no trace passes, so both
    // weight steps are the paper's "—", and the run still finishes with every stage recorded.
    const db = path.join(dir, 'local', 'tandem.db');
    const result = await runCli(
      ['run', 'hotpotqa', '--strategies', 'p, w, p -> w -> p', '--lm', `local:${tiny}`, '--data', data, '--seeds', '1', '--candidates', '1', '--max-tokens', '8', '--db', db, '--json'],
      { env, timeoutMs: 400_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.stages.map((s: { prefix: string }) => s.prefix)).toEqual(['', 'p', 'w', 'p -> w', 'p -> w -> p']);
    expect(summary.stages.filter((s: { kind: string }) => s.kind === 'w').map((s: { outcome?: string }) => s.outcome)).toEqual(['no-passing-traces', 'no-passing-traces']);
    expect(summary.checks.rows).toHaveLength(4);
  }, 400_000);

  it('retrieves from a ColBERTv2-compatible server with --retriever colbert:<url>', async () => {
    const questions = await loadHotpotQA(data);
    const passages = hotpotPassages(questions).map((p, i) => ({ pid: i, title: p.title, text: p.text }));
    const server: FakeColbertServer = await startFakeColbertServer(passages);
    try {
      const db = path.join(dir, 'colbert', 'tandem.db');
      const result = await runCli(['run', 'hotpotqa', '--strategy', 'p', ...base(), '--retriever', `colbert:${server.url}`, '--db', db], { env, timeoutMs: 200_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/building passage index/);
      expect(server.requests.length).toBeGreaterThan(0);
      expect(server.requests.every((r) => r.k === '3')).toBe(true);
      const summary = JSON.parse(result.stdout);
      expect(summary.checks.rows[0].cells.dev.recall_hop1.mean).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 200_000);

  it('refuses a retriever it cannot use with one line and writes nothing', async () => {
    const db = path.join(dir, 'refused', 'tandem.db');
    mkdirSync(path.dirname(db), { recursive: true });
    const missing = await runCli(['run', 'hotpotqa', '--strategy', 'p', ...base(), '--retriever', 'bm25:wiki', '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'))).toHaveLength(1);
    expect(missing.stderr).toMatch(/no passage index named wiki .*tandem index build <corpus\.jsonl> --name wiki/);
    const store = openStore(db);
    try {
      expect(store.runs.list()).toEqual([]);
    } finally {
      store.close();
    }
    const iris = await runCli(['run', 'iris', '--strategy', 'p', '--retriever', 'bm25:wiki', '--db', db]);
    expect(iris.code).toBe(1);
    expect(iris.stderr).toMatch(/--retriever: task "iris" does not retrieve/);
    const bad = await runCli(['run', 'hotpotqa', '--strategy', 'p', '--retriever', 'solr:x', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--retriever: .*a retriever is bm25:<index> or colbert:<url>/);
  }, 120_000);
});
