// The workbench's interop buttons in Chromium: the Run view's "DSPy JSON" on a stage row
// downloads that stage's program as DSPy's saved-program JSON, and the Traces view's "Export
// OpenInference" downloads the filtered selection as OTLP/JSON spans. The run starts from a DSPy
// program (tests/fixtures/interop) through the API, against the stub LM server.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpTraces } from '../../core/report/openinference.ts';
import { chromiumAvailable, startWorkbench, type Workbench } from '../fixtures/ui-workbench.ts';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/interop/dspy-iris-program.json');
const tid = (id: string) => `[data-testid="${id}"]`;

let wb: Workbench;
let runId: number;
let rootId: number;

describe.skipIf(!chromiumAvailable)('interop exports in the workbench', () => {
  beforeAll(async () => {
    wb = await startWorkbench({ latencyMs: 2 });
    const experiment = await wb.api.createExperiment({
      task: 'iris',
      strategies: 'p',
      seeds: 1,
      optimizer: { candidates: 1 },
      lm: { provider: 'openai', model: 'stub-model', baseUrl: wb.stub.baseUrl },
      initialProgram: readFileSync(FIXTURE, 'utf8'),
    });
    ({ runId } = await wb.api.startRun({ experimentId: experiment.id }));
    expect(await wb.waitForRunEnd(runId, 120_000)).toBe('finished');
    rootId = (await wb.api.listStages({ runId })).find((s) => s.prefix === '')!.id;
  }, 300_000);

  afterAll(async () => {
    await wb?.close();
  }, 60_000);

  it("downloads a stage's program as DSPy JSON from the Run view's strategy tree", async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}`);
    await page.locator(tid(`stage-dspy-${rootId}`)).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid(`stage-dspy-${rootId}`)).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^tandem-run-${runId}-zero-shot-seed\\d+\\.dspy\\.json$`));
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, { demos: Array<Record<string, unknown>>; signature: { instructions: string }; lm: null }>;
    expect(json.predict!.demos.map((d) => d.augmented === true)).toEqual([true, false]);
    expect(json.predict!.signature.instructions).toBe('Classify the iris from its four measurements. Answer with the species name only.');
    expect(json.predict!.lm).toBeNull();
    // The click downloads; it does not open the stage.
    expect(await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(`#/runs/${runId}`);
  }, 60_000);

  it('exports the filtered trace selection as OpenInference spans from the Traces view', async () => {
    const { page } = wb;
    const passed = await wb.api.pageExampleResults({ stageId: rootId, split: 'test', passed: true, limit: 1 });
    await wb.goto(`#/runs/${runId}/traces?stage=${rootId}&split=test&outcome=pass`);
    await page.locator(tid('traces-export-openinference')).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('traces-export-openinference')).click()]);
    expect(download.suggestedFilename()).toMatch(/\.otlp\.json$/);
    const doc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as OtlpTraces;
    const spans = doc.resourceSpans[0]!.scopeSpans[0]!.spans;
    const kinds = spans.map((s) => (s.attributes.find((a) => a.key === 'openinference.span.kind')!.value as { stringValue: string }).stringValue);
    expect(kinds.filter((k) => k === 'CHAIN')).toHaveLength(passed.total);
    expect(kinds).toContain('LLM');
    expect(wb.pageErrors.filter((e) => e.startsWith('pageerror') || e.startsWith('console'))).toEqual([]);
  }, 60_000);
});
