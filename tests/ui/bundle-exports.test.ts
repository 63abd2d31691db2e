// The workbench's export buttons for moving a run and its training data, in Chromium: the Run
// view's "Export run bundle" downloads the whole run as one `.tandem` file (read back over the API
// a piece at a time) that imports into a fresh workspace; the Fine-tune view's "Download rows"
// downloads the job's rows as OpenAI-format chat JSONL and its provenance file. The run (`p -> w`
// on iris) runs through the API against the stub LM server, with a trainer command that writes a
// small adapter.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startWorkbench, type Workbench } from '../fixtures/ui-workbench.ts';
import { openWorkspace } from '../unit/api/helpers.ts';

const tid = (id: string) => `[data-testid="${id}"]`;

const TRAINER = `
const fs = require('node:fs');
const out = process.argv[2];
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(out + '/adapter_config.json', '{}');
console.log(JSON.stringify({ step: 1, loss: 0.5 }));
`;

let wb: Workbench;
let runId: number;

describe.skipIf(!chromiumAvailable)('bundle and training-data exports in the workbench', () => {
  beforeAll(async () => {
    wb = await startWorkbench({ latencyMs: 0 });
    const trainer = path.join(wb.dir, 'trainer.cjs');
    writeFileSync(trainer, TRAINER);
    const experiment = await wb.api.createExperiment({
      task: 'iris',
      strategies: 'p -> w',
      seeds: 1,
      optimizer: { candidates: 1 },
      lm: { provider: 'openai', model: 'stub-model', baseUrl: wb.stub.baseUrl },
      finetune: { command: `${process.execPath} ${trainer} {out}` },
    });
    ({ runId } = await wb.api.startRun({ experimentId: experiment.id }));
    expect(await wb.waitForRunEnd(runId, 240_000)).toBe('finished');
  }, 300_000);

  afterAll(async () => {
    await wb?.close();
  }, 60_000);

  it("the Run view's Export run bundle downloads a bundle that imports into a fresh workspace", async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}`);
    await page.locator(tid('run-bundle-button')).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('run-bundle-button')).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^run-${runId}-.*\\.tandem$`));
    const file = (await download.path())!;
    const manifest = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8').split('\n')[0]!) as { kind: string; run: { id: number } };
    expect(manifest).toMatchObject({ kind: 'tandem-run-bundle', run: { id: runId } });
    const target = openWorkspace();
    try {
      const imported = await target.api.importRunBundle({ path: file });
      expect(imported.imported).toBe(true);
      const [a, b] = [await wb.api.getRun({ runId }), await target.api.getRun({ runId: imported.runId })];
      expect(b.results).toEqual(a.results);
    } finally {
      await target.close();
    }
  }, 60_000);

  it("the Fine-tune view's Download rows gives the job's chat JSONL and provenance", async () => {
    const { page } = wb;
    const [job] = await wb.api.listFinetuneJobs({ runId });
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await wb.goto(`#/runs/${runId}/finetune/${job!.id}`);
    await page.locator(tid('ft-download-button')).waitFor();
    await page.locator(tid('ft-download-button')).click();
    await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(2);
    expect(downloads.map((d) => d.suggestedFilename())).toEqual([`run-${runId}-job-${job!.id}-train.jsonl`, `run-${runId}-job-${job!.id}-provenance.jsonl`]);
    const rows = readFileSync((await downloads[0]!.path())!, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(job!.rows);
    expect(Object.keys(JSON.parse(rows[0]!) as object)).toEqual(['messages']);
    expect(wb.pageErrors.filter((e) => e.startsWith('pageerror') || e.startsWith('console'))).toEqual([]);
  }, 60_000);
});
