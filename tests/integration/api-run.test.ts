// A whole run through core/api against the OpenAI-compatible stub server in its own process, on a
// real SQLite file: events in order, results, example-result pages, traces, LM calls, candidates
// with their demos' source traces, curves and a comparison whose flip matrix matches the example
// results; then a run cancelled mid-way and resumed to the end.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ExampleResultRow } from '../../core/api/index.ts';
import type { RunEvent } from '../../core/runner/events.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { apiError, openWorkspace, runEnded, statuses, type Workspace } from '../unit/api/helpers.ts';

let stub: StubServerHandle;
let ws: Workspace;

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 10 });
  ws = openWorkspace();
});

afterAll(async () => {
  await ws?.close();
  await stub?.stop();
});

const runEvents = (events: ApiEvent[], runId: number): RunEvent[] =>
  events.filter((e): e is Extract<ApiEvent, { type: 'run-event' }> => e.type === 'run-event' && e.runId === runId).map((e) => e.event);

async function allResults(stageId: number, split: 'dev' | 'test'): Promise<ExampleResultRow[]> {
  const rows: ExampleResultRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await ws.api.pageExampleResults({ stageId, split, limit: 7, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

describe('a run through the API', () => {
  it('runs Iris "p" in the background and serves its results, traces, candidates and comparison', async () => {
    const { api } = ws;
    const experiment = await api.createExperiment({
      task: 'iris',
      strategies: 'p',
      lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl },
      optimizer: { candidates: 1 },
    });
    const { runId } = await api.startRun({ experimentId: experiment.id });
    await ws.waitFor(runEnded(runId), 60_000);

    // Events: run-start first, run-end last, every stage started before it ended.
    const events = runEvents(ws.events, runId);
    expect(events[0]).toMatchObject({ type: 'run-start', runId, experimentId: experiment.id, strategies: ['p'], seeds: [0], resumed: false });
    expect(events.at(-1)).toEqual({ type: 'run-end', runId, status: 'finished' });
    const stageOrder = events.filter((e) => e.type === 'stage-start' || e.type === 'stage-end').map((e) => `${e.type}:${'prefix' in e ? e.prefix : ''}`);
    expect(stageOrder).toEqual(['stage-start:', 'stage-end:', 'stage-start:p', 'stage-end:p']);
    expect(events.filter((e) => e.type === 'optimizer').length).toBeGreaterThan(0);
    expect(statuses(ws.events, runId)).toEqual(['pending', 'running', 'finished']);

    // The run with its spec, stages and paper-style results.
    const detail = await api.getRun({ runId });
    expect(detail.run).toMatchObject({ id: runId, experimentId: experiment.id, status: 'finished', active: false });
    expect(detail.spec?.randomSearch.numCandidates).toBe(1);
    expect(detail.stages.map((s) => [s.prefix, s.status])).toEqual([['', 'finished'], ['p', 'finished']]);
    expect(detail.results.rows.map((r) => r.strategy)).toEqual(['', 'p']);
    const pTest = detail.results.rows[1]!.cells.test!;
    expect(pTest.mean).toBeGreaterThan(0);
    expect(detail.lm.calls).toBeGreaterThan(100);
    expect(detail.run.table).toEqual(detail.results.rows);
    const summary = await api.getExperiment({ experimentId: experiment.id });
    expect(summary.best).toMatchObject({ split: 'test' });
    const baseline = detail.stages[0]!;
    const pStage = detail.stages[1]!;

    // Example results: pages with cursors cover the split once; filters and search agree.
    const testRows = await allResults(pStage.id, 'test');
    expect(testRows.map((r) => r.exampleIndex)).toEqual([...Array(50).keys()]);
    expect(testRows.filter((r) => r.passed).length / 50).toBeCloseTo(pTest.values[0]! / 100, 5);
    const passed = await api.pageExampleResults({ stageId: pStage.id, split: 'test', passed: true, limit: 500 });
    const failed = await api.pageExampleResults({ stageId: pStage.id, split: 'test', passed: false, limit: 500 });
    expect(passed.total + failed.total).toBe(50);
    expect(passed.rows.every((r) => r.passed)).toBe(true);
    const one = testRows[3]!;
    const found = await api.pageExampleResults({ evaluationId: one.evaluationId, search: one.exampleId! });
    expect(found.rows.map((r) => r.id)).toContain(one.id);
    expect(one.inputs).toHaveProperty('petal_length');
    // Search means substrings of the id, the inputs JSON and the prediction JSON, every word
    // needed (ASCII case folded): the trigram index for 3+ characters, LIKE for shorter words.
    const textOf = (r: ExampleResultRow) => `${r.exampleId ?? ''} ${JSON.stringify(r.inputs)} ${r.prediction === null ? '' : JSON.stringify(r.prediction)}`.toLowerCase();
    const searchFor = async (search: string) => (await api.pageExampleResults({ evaluationId: one.evaluationId, search, limit: 500 })).rows.map((r) => r.id);
    const value = String(one.inputs!.petal_length);
    const species = String((one.prediction as Record<string, unknown> | null)?.species ?? 'setosa');
    const idDigits = one.exampleId!.replace(/^\D+/, '');
    for (const search of [one.exampleId!, one.exampleId!.toUpperCase(), idDigits, value, `"${value}"`, species, species.slice(1, 5), `${species} ${value}`, 'petal_length', 'se', '.', 'ir 0', 'AND', 'NEAR(', '"', '%', '_', '*']) {
      const words = [...search.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').trim().toLowerCase()).filter((w) => w !== '');
      expect(await searchFor(search), search).toEqual(testRows.filter((r) => words.every((w) => textOf(r).includes(w))).map((r) => r.id));
    }
    expect(await searchFor(`${one.exampleId!} ${value}`)).toEqual([one.id]);
    const byScore = await api.pageExampleResults({ stageId: pStage.id, split: 'test', sort: 'score', limit: 5 });
    const sorted = [...testRows].sort((a, b) => a.score - b.score || a.exampleIndex - b.exampleIndex).map((r) => r.id);
    expect(['setosa', 'versicolor', 'virginica']).toContain(one.labels?.species); // the gold label is kept
    const jumped = await api.pageExampleResults({ stageId: pStage.id, split: 'test', sort: 'score', limit: 3, offset: 7 });
    expect(jumped.rows.map((r) => r.id)).toEqual(sorted.slice(7, 10));
    expect((await apiError(api.pageExampleResults({ stageId: pStage.id, split: 'test', offset: 3, cursor: byScore.nextCursor }))).message).toMatch(/^offset: give either cursor or offset/);
    const next = await api.pageExampleResults({ stageId: pStage.id, split: 'test', sort: 'score', limit: 5, cursor: byScore.nextCursor });
    expect([...byScore.rows, ...next.rows].map((r) => r.id)).toEqual(sorted.slice(0, 10));
    expect((await apiError(api.pageExampleResults({ stageId: pStage.id, split: 'test', sort: 'index', cursor: byScore.nextCursor }))).message).toMatch(
      /^cursor: belongs to another query/,
    );

    // A trace with its LM calls in full, and the result it produced.
    const trace = await api.getTrace({ traceId: one.traceId! });
    expect(trace.trace.calls.length).toBeGreaterThan(0);
    expect(trace.trace.calls[0]!.messages.length).toBeGreaterThan(1);
    expect(trace.trace.calls[0]!.completion).toContain('[[ ## species ## ]]');
    expect(trace.result).toMatchObject({ evaluationId: one.evaluationId, split: 'test', stageId: pStage.id, exampleIndex: one.exampleIndex, passed: one.passed });
    expect(trace.result?.labels).toEqual(one.labels); // the gold label, for "Expected" next to the prediction

    // LM calls: pages, search, one call in full.
    const calls = await api.pageLMCalls({ runId, limit: 5, withTotal: true });
    expect(calls.rows).toHaveLength(5);
    expect(calls.total).toBe(detail.lm.calls);
    const searched = await api.pageLMCalls({ runId, search: 'species', limit: 3 });
    expect(searched.rows.length).toBe(3);
    const call = await api.getLMCall({ callId: calls.rows[0]!.id });
    expect(call.messages.length).toBeGreaterThan(1);
    expect(await api.getLMCallStats({ runId })).toEqual(detail.lm);

    // Candidates: scores, the winner, demos linked to the traces they were bootstrapped from.
    const { candidates } = await api.listCandidates({ stageId: pStage.id });
    expect(candidates.map((c) => c.kind)).toEqual(['zero-shot', 'labeled', 'bootstrap', 'shuffled']);
    expect(candidates.filter((c) => c.isBest)).toHaveLength(1);
    expect(candidates.every((c) => c.score !== null && c.n === 35)).toBe(true);
    const bootstrapped = candidates.find((c) => c.kind === 'bootstrap')!.predictors.flatMap((p) => p.demos).filter((d) => d.augmented);
    expect(bootstrapped.length).toBeGreaterThan(0);
    const source = await api.getTrace({ traceId: bootstrapped[0]!.sourceTraceId! });
    expect(source.trace.purpose).toBe('bootstrap');
    expect(source.result).toBeNull();
    expect(candidates[0]!.predictors[0]!.signature.instructions.length).toBeGreaterThan(0);

    // Curves and stages.
    const report = await api.exportReport({ runId, format: 'csv' });
    expect(report.filename).toBe(`tandem-run-${runId}-iris.csv`);
    expect(report.text.split('\n')[0]).toMatch(/^strategy,split,mean,ci95,no_passing_traces,seed_/);
    expect((await api.exportReport({ runId })).text).toMatch(/^# Tandem run \d+: iris/);
    expect((await apiError(api.exportReport({ runId, format: 'pdf' as never }))).code).toBe('invalid-input');
    const curves = await api.getCurves({ runId });
    expect(curves.points.filter((p) => p.split === 'test').map((p) => p.step)).toEqual([0, 1]);
    expect(curves.validation).toHaveLength(1);
    expect(curves.validation[0]!.candidates).toHaveLength(4);
    expect((await api.getStage({ stageId: pStage.id })).evaluations.map((e) => e.split)).toEqual(['dev', 'test']);
    expect(await api.listFinetuneJobs({ runId })).toEqual([]);

    // The comparison's flip matrix matches the example results of both stages.
    const comparison = await api.getComparison({ runId });
    expect(comparison.table.map((r) => r.strategy)).toEqual(['', 'p']);
    const flips = comparison.flips[0]!;
    expect(flips.strategy).toBe('p');
    const baseRows = await allResults(baseline.id, 'test');
    const pById = new Map(testRows.map((r) => [r.exampleId, r]));
    const expected = { n: 0, bothRight: 0, bothWrong: 0, rightToWrong: 0, wrongToRight: 0 };
    const improved: string[] = [];
    const regressed: string[] = [];
    for (const b of baseRows) {
      const p = pById.get(b.exampleId)!;
      expected.n++;
      if (b.passed && p.passed) expected.bothRight++;
      else if (!b.passed && !p.passed) expected.bothWrong++;
      else if (b.passed) {
        expected.rightToWrong++;
        regressed.push(b.exampleId!);
      } else {
        expected.wrongToRight++;
        improved.push(b.exampleId!);
      }
    }
    expect(flips.counts).toEqual(expected);
    expect(flips.seeds[0]!.wrongToRightExamples.map((e) => e.exampleId)).toEqual(improved);
    expect(flips.seeds[0]!.rightToWrongExamples.map((e) => e.exampleId)).toEqual(regressed);
    expect(flips.counts.wrongToRight).toBeGreaterThan(0); // the stub answers better with demos
    expect(flips.missingSeeds).toEqual([]);
    const dev = await api.getComparison({ runId, baseline: 'p', strategies: ['zero-shot'], split: 'dev' });
    expect(dev.flips[0]!.counts.rightToWrong).toBe((await api.getComparison({ runId, split: 'dev' })).flips[0]!.counts.wrongToRight);
    expect((await apiError(api.getComparison({ runId, strategies: ['p -> p'] }))).message).toMatch(/^strategies\[0\]: "p -> p" is not a strategy of run/);
  });

  it('cancels a running run and resumes it to the end', async () => {
    const { api } = ws;
    const experiment = await api.createExperiment({
      task: 'iris',
      strategies: 'p',
      seed: 7,
      useCache: false,
      concurrency: 4,
      lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl },
      optimizer: { candidates: 1 },
    });
    const { runId } = await api.startRun({ experimentId: experiment.id });
    await ws.waitFor((e) => e.type === 'run-event' && e.runId === runId && e.event.type === 'optimizer' && e.event.event.type === 'candidate-start' && e.event.event.index === 1, 60_000);
    expect(await api.cancelRun({ runId })).toEqual({ runId, status: 'cancelled' });
    const cancelled = await api.getRun({ runId });
    const pId = cancelled.stages.find((s) => s.prefix === 'p')!.id;
    const kept = (await api.listCandidates({ stageId: pId })).candidates.map((c) => c.id);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(cancelled.run).toMatchObject({ status: 'cancelled', active: false });
    expect(cancelled.stages.find((s) => s.prefix === 'p')?.status).toBe('cancelled');
    expect(runEvents(ws.events, runId).at(-1)).toMatchObject({ type: 'run-end', status: 'cancelled' });

    const before = ws.events.length;
    expect(await api.resumeRun({ runId })).toEqual({ runId, experimentId: experiment.id });
    await ws.waitFor((e) => runEnded(runId)(e) && ws.events.indexOf(e) >= before, 60_000);
    const resumedEvents = runEvents(ws.events.slice(before), runId);
    expect(resumedEvents[0]).toMatchObject({ type: 'run-start', resumed: true });
    expect(resumedEvents.at(-1)).toEqual({ type: 'run-end', runId, status: 'finished' });
    const finished = await api.getRun({ runId });
    expect(finished.run.status).toBe('finished');
    expect(finished.stages.map((s) => [s.prefix, s.status])).toEqual([['', 'finished'], ['p', 'finished']]);
    const after = (await api.listCandidates({ stageId: pId })).candidates.map((c) => c.id);
    expect(after).toHaveLength(4);
    expect(after.slice(0, kept.length)).toEqual(kept); // candidates finished before the cancel were kept, not redone
    expect(statuses(ws.events, runId)).toEqual(['pending', 'running', 'cancelled', 'pending', 'running', 'finished']);
    expect((await apiError(api.resumeRun({ runId }))).message).toBe(`run ${runId} already finished; nothing to resume`);
  });

  it('deletes an experiment with everything under it', async () => {
    const { api } = ws;
    const [experiment] = (await api.listExperiments()).slice(-1);
    const runId = experiment!.latestRun!.id;
    expect((await api.pageLMCalls({ runId, limit: 1 })).rows).toHaveLength(1);
    expect(await api.deleteExperiment({ experimentId: experiment!.id })).toEqual({ experimentId: experiment!.id, deletedRuns: 1 });
    expect((await api.pageLMCalls({ runId, limit: 1 })).rows).toEqual([]);
    expect((await api.pageLMCalls({ runId, search: 'species', limit: 1 })).rows).toEqual([]);
    expect((await apiError(api.getRun({ runId }))).code).toBe('not-found');
    expect((await api.listRuns()).map((r) => r.experimentId)).not.toContain(experiment!.id);
  });
});
