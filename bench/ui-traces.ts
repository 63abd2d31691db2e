// UI bench, Traces view on a big evaluation: a workspace whose Iris run has one test
// evaluation of 100,000 example results (each with its trace and LM call), served by the web
// server to Debian's Chromium. Measured in the page (bench/ui-lib.ts):
//   - opening #/runs/<id>/traces?stage=…&split=test until the first rows are on screen;
//   - filter (outcome) and full-text search changes until the rows show the new result (median);
//   - long tasks (PerformanceObserver 'longtask') and dropped frames while scrolling the list by
//     mouse wheel and by keyboard for a few seconds.
//
// The database is built once (a real run through the API against the stub, then the big
// evaluation saved through the store) and kept under bench/results/.cache/, keyed by its size,
// DATA_VERSION and the schema version. UI_TRACES_RESULTS overrides the size for a quick try.

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createApi } from '../core/api/index.ts';
import type { PredictorCall, ProgramTrace } from '../core/program/trace.ts';
import { latestVersion, openStore } from '../core/store/index.ts';
import type { ExampleResultInput } from '../core/store/evaluations.ts';
import { Rng } from '../core/util/random.ts';
import { startStubServer } from '../tests/fixtures/stub-server-process.ts';
import { startWorkbench } from '../tests/fixtures/ui-workbench.ts';
import { atMost, finishBenchDatabase, info, percentile, RESULTS_DIR, type BenchResult, type BenchRow } from './lib.ts';
import { droppedFrames, installPageScript, irisRun, longTasksSince, measure, median, pageNow, round1, startFrames, stopFrames } from './ui-lib.ts';

const DATA_VERSION = 1;
const TOTAL = Number(process.env.UI_TRACES_RESULTS ?? 100_000);
const OPEN_GOAL_MS = 1000;
const FILTER_GOAL_MS = 200;
const REPEATS = 5;
const SPECIES = ['setosa', 'versicolor', 'virginica'] as const;

// ---------------------------------------------------------------------------------------------
// The database

const SYSTEM = [
  'Your input fields are:',
  '1. `sepal_length` (str)\n2. `sepal_width` (str)\n3. `petal_length` (str)\n4. `petal_width` (str)',
  'Outputs you write:',
  '- `reasoning`\n- `species`',
  'In adhering to this structure, your objective is: Classify the iris flower into setosa, versicolor or virginica from its measurements.',
].join('\n\n');

function syntheticResult(i: number, rng: Rng, now: number): ExampleResultInput {
  const v = () => (rng.int(10, 79) / 10).toFixed(1);
  const inputs = { sepal_length: v(), sepal_width: v(), petal_length: v(), petal_width: v() };
  const truth = SPECIES[i % 3]!;
  const passed = rng.next() < 0.7;
  const species = passed ? truth : SPECIES[(i + 1 + rng.int(0, 1)) % 3]!;
  const failed = rng.next() < 0.01;
  // A few words from a small vocabulary, so searches match some thousands of rows or a handful.
  const note = `petals look ${['narrow', 'wide', 'long', 'short', 'pale'][rng.int(0, 4)]} and sepals ${['droop', 'curl', 'spread'][rng.int(0, 2)]}; tag k${rng.int(0, 9999)}`;
  const reasoning = `The stub compares petal length ${inputs.petal_length} and width ${inputs.petal_width}: ${note}.`;
  const completion = `[[ ## reasoning ## ]]\n${reasoning}\n\n[[ ## species ## ]]\n${species}\n\n[[ ## completed ## ]]`;
  const user = Object.entries(inputs).map(([k, value]) => `[[ ## ${k} ## ]]\n${value}`).join('\n\n');
  const error = failed ? { kind: 'parse', message: 'could not find field header [[ ## species ## ]] in the completion' } : null;
  const call: PredictorCall = {
    predictor: 'predict',
    inputs,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
    ],
    request: { model: 'stub-model', temperature: 0.1, maxTokens: 1024, seed: rng.int(0, 0x7fffffff) },
    completion,
    outputs: failed ? null : { reasoning, species },
    parseFallback: null,
    model: 'stub-model',
    usage: { promptTokens: 120, completionTokens: 40 },
    latencyMs: Math.round(rng.next() * 400),
    cached: false,
    attempts: 1,
    error,
    startedAt: now,
  };
  const trace: ProgramTrace = { exampleId: `iris-bench-${String(i).padStart(6, '0')}`, inputs, calls: [call], prediction: failed ? null : { reasoning, species }, error };
  return { exampleIndex: i, exampleId: trace.exampleId, score: passed && !failed ? 1 : 0, passed: passed && !failed, prediction: trace.prediction, trace };
}

async function buildDatabase(file: string): Promise<void> {
  const started = performance.now();
  const tmp = `${file}.building`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const stub = await startStubServer({ latencyMs: 0 });
  let runId: number;
  try {
    const api = createApi({ dbPath: tmp, env: {}, embeddedModelsDir: null, hasDemoModel: () => false });
    try {
      runId = await irisRun(api, stub.baseUrl, { strategies: 'p', candidates: 1, name: `iris: ${TOTAL.toLocaleString('en')} test results` });
    } finally {
      await api.close();
    }
  } finally {
    await stub.stop();
  }
  const store = openStore(tmp);
  try {
    const stage = store.stages.listForRun(runId).find((s) => s.prefix === 'p');
    if (!stage) throw new Error('the seeding run has no p stage');
    const old = store.evaluations.listForStage(stage.id).filter((e) => e.candidateId === null && e.split === 'test');
    const rng = new Rng(1234);
    const now = Date.now();
    const results = Array.from({ length: TOTAL }, (_, i) => syntheticResult(i, rng, now));
    const saved = store.evaluations.save({ runId, stageId: stage.id, split: 'test', results });
    process.stderr.write(`[ui-traces] saved ${saved.n} results (score ${saved.score.toFixed(3)}) in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    // The big evaluation replaces the run's own test evaluation of that stage.
    const db = new Database(tmp);
    try {
      for (const e of old) db.prepare('DELETE FROM evaluations WHERE id = ?').run(e.id);
      const scores = { ...(stage.scores ?? {}), test: saved.score };
      db.prepare('UPDATE stages SET scores = ? WHERE id = ?').run(JSON.stringify(scores), stage.id);
    } finally {
      db.close();
    }
  } finally {
    store.close();
  }
  finishBenchDatabase(tmp, file);
  process.stderr.write(`[ui-traces] built ${file} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

/** The cached database (built on first use). */
export async function database(): Promise<string> {
  const cacheDir = path.join(RESULTS_DIR, '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `ui-traces-${TOTAL}-data${DATA_VERSION}-schema${latestVersion()}.db`);
  if (!existsSync(file)) {
    const prefix = `ui-traces-${TOTAL}-`;
    for (const old of readdirSync(cacheDir)) if (old.startsWith(prefix) && !old.startsWith(path.basename(file))) rmSync(path.join(cacheDir, old), { force: true });
    await buildDatabase(file);
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// Measurements

const ROW = '[data-testid="trace-row"]';
const LIST = '[data-testid="trace-list"]';
/** The list's row height in px (renderer/src/views/traces/ResultList.tsx). */
const ROW_HEIGHT = 30;

export async function run(): Promise<BenchResult> {
  const file = await database();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const wb = await startWorkbench({ dbPath: file });
  try {
    const { page, api } = wb;
    await installPageScript(page);
    const runs = await api.listRuns({});
    const runId = runs[0]!.id;
    const stage = (await api.listStages({ runId })).find((s) => s.prefix === 'p')!;
    const hash = (query: string) => `#/runs/${runId}/traces?stage=${stage.id}&split=test${query}`;
    rows.push(info('database: example results in the evaluation', (await api.pageExampleResults({ stageId: stage.id, split: 'test', limit: 1 })).total, 'rows'));

    // Open: from another view to the traces view, first rows on screen. The first open also
    // loads the bundle and warms SQLite's page cache; it is reported on its own.
    await wb.goto('#/experiments');
    await page.waitForSelector('[data-testid="view-experiments"], .state', { timeout: 30_000 });
    const opens: number[] = [];
    for (let i = 0; i <= REPEATS; i++) {
      await wb.goto('#/experiments');
      await page.waitForTimeout(300);
      opens.push(await measure(page, { kind: 'hash', value: hash('') }, { rows: ROW }));
    }
    rows.push(info('open traces view, first time (cold)', round1(opens[0]!), 'ms'));
    rows.push(atMost('open traces view → first rows visible (median)', round1(median(opens.slice(1))), 'ms', OPEN_GOAL_MS));

    // Filters and search: each change until the rows show the new result; back to "all" between.
    await page.waitForTimeout(500);
    const timed = async (label: string, set: Parameters<typeof measure>[1], reset: Parameters<typeof measure>[1], contains?: string) => {
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        times.push(await measure(page, set, { rows: ROW, changed: true, ...(contains ? { contains } : {}) }));
        await page.waitForTimeout(200);
        await measure(page, reset, { rows: ROW, changed: true });
        await page.waitForTimeout(200);
      }
      rows.push(atMost(`${label} → rows updated (median of ${REPEATS})`, round1(median(times)), 'ms', FILTER_GOAL_MS));
      rows.push(info(`${label} → rows updated (max)`, round1(Math.max(...times)), 'ms'));
    };
    await timed('filter outcome = fail', { kind: 'select', selector: '[data-testid="filter-outcome"]', value: 'fail' }, { kind: 'select', selector: '[data-testid="filter-outcome"]', value: '' });
    await timed('search a common word ("narrow", ~20% of rows)', { kind: 'input', selector: '[data-testid="trace-search"]', value: 'narrow' }, { kind: 'input', selector: '[data-testid="trace-search"]', value: '' }, 'narrow');
    await timed('search a rare word (one example id)', { kind: 'input', selector: '[data-testid="trace-search"]', value: 'iris-bench-077777' }, { kind: 'input', selector: '[data-testid="trace-search"]', value: '' }, '077777');

    // Scrolling for 4 s each: the mouse wheel over the list (100 px notches at 60 Hz, a fast
    // flick), PageDown in the focused list (10/s), and `j` held down (key repeat 30/s: the
    // selection moves row by row and the trace pane follows it).
    const modes = [
      { label: 'scroll by wheel', everyMs: 16, step: () => page.mouse.wheel(0, 100) },
      { label: 'scroll by PageDown', everyMs: 100, step: () => page.keyboard.press('PageDown') },
      { label: 'move selection by j (trace pane follows)', everyMs: 33, step: () => page.keyboard.press('j') },
    ];
    for (const mode of modes) {
      await wb.goto('#/experiments');
      await wb.goto(hash(''));
      await page.waitForSelector(ROW);
      const box = (await page.locator(LIST).boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      if (mode.label.includes('PageDown')) await page.locator(LIST).focus();
      await page.waitForTimeout(500);
      const t0 = await pageNow(page);
      await startFrames(page);
      const until = Date.now() + 4000;
      while (Date.now() < until) {
        const next = Date.now() + mode.everyMs;
        await mode.step();
        const wait = next - Date.now();
        if (wait > 0) await page.waitForTimeout(wait);
      }
      const gaps = await stopFrames(page);
      await page.waitForTimeout(200);
      const tasks = await longTasksSince(page, t0);
      const label = `${mode.label}, 4 s`;
      rows.push(info(`${label}: long tasks`, tasks.length, 'tasks'));
      rows.push(info(`${label}: longest task`, round1(Math.max(0, ...tasks.map((t) => t.duration))), 'ms'));
      rows.push(info(`${label}: dropped frames (60 Hz)`, droppedFrames(gaps), 'frames'));
      rows.push(info(`${label}: frame interval p95`, round1(percentile(gaps, 95)), 'ms'));
      const scrolled = await page.locator(LIST).evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
      rows.push(info(`${label}: list scrolled to`, Math.round(scrolled / ROW_HEIGHT), 'rows'));
      if (mode.label.includes('selection')) {
        const selected = await page.locator('[data-testid="trace-row"][aria-selected="true"]').getAttribute('data-index');
        rows.push(info(`${label}: selection moved to`, Number(selected ?? -1), 'row'));
      }
      rows.push(info(`${label}: placeholder rows on screen at the end`, await page.locator('[data-testid="trace-row-loading"]').count(), 'rows'));
    }
    if (wb.pageErrors.length > 0) notes.push(`page errors: ${wb.pageErrors.slice(0, 5).join(' | ')}`);
    notes.push('Times are measured in the page: from the action to the first animation frame after the rows changed (MutationObserver), in headless Chromium with --disable-gpu on this machine.');
  } finally {
    await wb.close();
  }
  return { name: 'ui-traces', rows, notes };
}
