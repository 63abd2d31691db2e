// LM text is shown as inert text everywhere. A run against the stub server in its `xss` mode
// (every completion's reasoning holds HTML/script payloads; some answers too), an experiment
// named with a payload, then every view of the run in Chromium — with the page's CSP bypassed,
// so a payload that became markup would also run. After each view: window.__xss is unset, no
// element from a payload exists (nor ever existed: a MutationObserver watches from page start),
// no dialog opened; and the traces view shows the payloads as text. A second, HotPotQA run whose
// data file (named with a payload) has payloads in every paragraph's title and text puts them in
// retrieved passages, gold titles, queries and index sources: its trace's retrieval nodes, its
// intermediate-quality tables and the Models page's Retrievers stay text too.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledHotpotQAPath, loadHotpotQA, type HotpotQuestion } from '../../core/tasks/hotpotqa-data.ts';
import { XSS_PAYLOADS } from '../fixtures/stub-openai-server.ts';
import { chromiumAvailable, startWorkbench, tinyTrainerCommand, type PageGlobal, type Workbench } from '../fixtures/ui-workbench.ts';

let wb: Workbench;
let runId: number;
let hotpotRunId: number;
const dialogs: string[] = [];
const tid = (id: string) => `[data-testid="${id}"]`;
/** expect.poll gives up after 1 s by default; views may take a few round trips. */
const POLL = { timeout: 10_000 };

/** Elements a payload would create, as selectors. */
const PAYLOAD_ELEMENTS = ['img[src="x"]', '[onerror]', '[onload]', 'svg', 'iframe', 'a[href^="javascript:" i]', 'script:not([src])'];

// Runs in the page before the app: records any payload element that is ever inserted.
const WATCH = `(() => {
  window.__payloadHits = [];
  const bad = ${JSON.stringify(PAYLOAD_ELEMENTS.filter((s) => s !== 'svg').join(', '))};
  const check = (node) => {
    if (node.nodeType !== 1) return;
    const hits = node.matches(bad) ? [node] : Array.from(node.querySelectorAll(bad));
    for (const h of hits) window.__payloadHits.push(h.outerHTML.slice(0, 200));
  };
  new MutationObserver((records) => { for (const r of records) r.addedNodes.forEach(check); })
    .observe(document, { childList: true, subtree: true });
})();`;

const TITLE_PAYLOAD = '<img src=x onerror="window.__xss=1">';
const TEXT_PAYLOAD = '<script>window.__xss=1</script>';

/** A question as a JSON Lines row with a payload in every paragraph title (gold titles too) and text. */
function withPayloads(q: HotpotQuestion): string {
  const title = (t: string) => `${t} ${TITLE_PAYLOAD}`;
  return JSON.stringify({
    id: q.id,
    question: q.question,
    answer: q.answer,
    type: q.type,
    level: q.level,
    supporting_facts: q.supportingFacts.map(([t, i]) => [title(t), i]),
    context: q.context.map((c) => [title(c.title), c.sentences.map((x, i) => (i === 0 ? `${x} ${TEXT_PAYLOAD}` : x))]),
  });
}

interface XssGlobal extends PageGlobal {
  __payloadHits: string[];
}

async function expectInert(view: string): Promise<void> {
  const { page } = wb;
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).__xss), `window.__xss after ${view}`).toBeUndefined();
  expect(await page.evaluate(() => (globalThis as unknown as XssGlobal).__payloadHits), `payload elements inserted in ${view}`).toEqual([]);
  for (const selector of PAYLOAD_ELEMENTS) {
    // Charts draw real <svg>s (recharts); only an svg with an onload attribute is a payload.
    const s = selector === 'svg' ? 'svg[onload]' : selector;
    expect(await page.locator(s).count(), `${s} in ${view}`).toBe(0);
  }
  expect(dialogs, `dialogs in ${view}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable)('LM output with HTML and script payloads', () => {
  beforeAll(async () => {
    wb = await startWorkbench({ latencyMs: 0, faults: { xss: { rate: 1 } }, bypassCSP: true });
    await wb.page.addInitScript({ content: WATCH });
    wb.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const trainer = await tinyTrainerCommand(wb.dir);
    const experiment = await wb.api.createExperiment({
      name: `XSS <img src=x onerror="window.__xss=1"> "><svg onload=window.__xss=1>`,
      task: 'iris',
      strategies: 'p, p -> w',
      lm: { provider: 'openai', model: 'stub-model', baseUrl: wb.stub.baseUrl },
      optimizer: { candidates: 2 },
      finetune: { command: trainer },
    });
    ({ runId } = await wb.api.startRun({ experimentId: experiment.id }));
    expect(await wb.waitForRunEnd(runId, 480_000)).toBe('finished');

    const dataPath = path.join(wb.dir, `${TITLE_PAYLOAD}.jsonl`);
    writeFileSync(dataPath, (await loadHotpotQA(bundledHotpotQAPath())).slice(0, 12).map(withPayloads).join('\n'));
    const hotpot = await wb.api.createExperiment({
      task: 'hotpotqa',
      strategies: 'p',
      dataPath,
      lm: { provider: 'openai', model: 'stub-model', baseUrl: wb.stub.baseUrl },
      optimizer: { candidates: 0 },
    });
    hotpotRunId = (await wb.api.startRun({ experimentId: hotpot.id })).runId;
    expect(await wb.waitForRunEnd(hotpotRunId, 240_000)).toBe('finished');
  }, 600_000);

  afterAll(async () => {
    await wb?.close();
  }, 60_000);

  it('stays text in the Experiments and Run views', async () => {
    const { page } = wb;
    await wb.goto('#/experiments');
    await page.locator(tid('experiment-row-1')).waitFor();
    expect(await page.locator(tid('experiment-row-1')).textContent()).toContain('<img src=x onerror="window.__xss=1">');
    await expectInert('experiments');
    await wb.goto(`#/runs/${runId}`);
    await page.locator(tid('results-table')).waitFor();
    await expectInert('run');
    await wb.shot('xss-run');
  }, 60_000);

  it('stays text in the Candidates view (demos hold the payloads)', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}/candidates`);
    const rows = page.locator(tid('candidate-row'));
    await rows.first().waitFor();
    let demoText = '';
    for (let i = 0; i < (await rows.count()); i++) {
      await rows.nth(i).click();
      await page.locator(tid('candidate-detail')).waitFor();
      await page.waitForTimeout(200);
      demoText += (await page.locator(tid('candidate-demo')).allTextContents()).join('\n');
      await expectInert(`candidates (candidate ${i})`);
    }
    expect(demoText).toContain(XSS_PAYLOADS[0]);
    await wb.shot('xss-candidates');
  }, 60_000);

  it('stays text in the Traces view, list and open trace, and shows the payloads as text', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}/traces`);
    const rows = page.locator(tid('trace-row'));
    await rows.first().waitFor();
    expect((await rows.allTextContents()).join('\n')).toContain('<script>window.__xss=1</script>');
    await expectInert('traces list');
    // Failed rows: some predictions are a species with a payload appended.
    await page.locator(tid('filter-outcome')).selectOption('fail');
    await page.waitForTimeout(500);
    await expectInert('traces list (failed)');
    await rows.first().click();
    const pane = page.locator(tid('trace-pane'));
    await pane.locator(tid('trace-call')).first().waitFor();
    // Open every collapsed part of the trace so everything in it is rendered.
    for (const details of await pane.locator('details:not([open])').all()) await details.evaluate((d) => ((d as unknown as { open: boolean }).open = true));
    await page.waitForTimeout(300);
    const text = (await pane.textContent()) ?? '';
    for (const payload of XSS_PAYLOADS) expect(text).toContain(payload);
    await expect.poll(() => page.getByText('<img src=x onerror="window.__xss=1">', { exact: false }).first().isVisible(), POLL).toBe(true);
    await expectInert('traces (trace open)');
    await wb.shot('xss-traces');
  }, 60_000);

  it('stays text in the Compare view with diffs open', async () => {
    const { page } = wb;
    await wb.goto(`#/compare?runs=${runId}`);
    await page.locator(tid('compare-table')).waitFor();
    const toggles = page.locator(tid('compare-flip-toggle'));
    const n = Math.min(await toggles.count(), 4);
    for (let i = 0; i < n; i++) await toggles.nth(i).click();
    await page.waitForTimeout(500);
    await expectInert('compare');
    await wb.shot('xss-compare');
  }, 60_000);

  it('stays text in the Fine-tune view', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}/finetune`);
    await page.locator(tid('finetune-detail')).waitFor();
    await page.waitForTimeout(500);
    await expectInert('fine-tune');
    await wb.shot('xss-finetune');
  }, 60_000);

  it('stays text in a pipeline: retrieval nodes, gold badges, check tables and the Retrievers section', async () => {
    const { page } = wb;
    // A trace whose first retrieval found a gold paragraph (its title carries a payload too).
    const zeroShot = (await wb.api.getRun({ runId: hotpotRunId })).stages.find((st) => st.prefix === '')!;
    const found = (await wb.api.pageExampleResults({ stageId: zeroShot.id, split: 'test', limit: 100 })).rows.find((r) => r.traceId !== null && (r.checks?.recall_hop1 ?? 0) > 0);
    expect(found).toBeDefined();
    await wb.goto(`#/runs/${hotpotRunId}/traces?stage=${zeroShot.id}&trace=${found!.traceId}`);
    await page.locator(tid('trace-row')).first().waitFor();
    const pane = page.locator(tid('trace-pane'));
    await pane.locator(tid('trace-retrieval')).first().waitFor();
    await pane.locator('details').evaluateAll((els) => els.forEach((d) => ((d as unknown as { open: boolean }).open = true)));
    for (const more of await pane.locator('.tt-more').all()) await more.click();
    await page.waitForTimeout(300);
    const passages = (await pane.locator(tid('trace-passage')).allTextContents()).join('\n');
    expect(passages).toContain(TITLE_PAYLOAD);
    expect(passages).toContain(TEXT_PAYLOAD);
    expect(await pane.locator(tid('trace-passage-gold')).count()).toBeGreaterThan(0);
    await expectInert('pipeline trace');
    await wb.shot('xss-pipeline-trace');

    await wb.goto(`#/runs/${hotpotRunId}`);
    await page.locator(tid('check-table')).waitFor();
    await expectInert('pipeline run');
    await wb.goto('#/models');
    const section = page.locator(tid('models-retrievers'));
    await section.locator('[data-testid^="retriever-index-"]').first().waitFor();
    expect(await section.textContent()).toContain(TITLE_PAYLOAD);
    await expectInert('models (retrievers)');
  }, 60_000);

  it('would notice a payload that became markup (control)', async () => {
    const { page } = wb;
    await page.evaluate((html) => {
      const doc = (globalThis as unknown as { document: { body: { insertAdjacentHTML(where: string, html: string): void } } }).document;
      doc.body.insertAdjacentHTML('beforeend', html);
    }, XSS_PAYLOADS[0]);
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobal).__xss), POLL).toBe(1);
    expect((await page.evaluate(() => (globalThis as unknown as XssGlobal).__payloadHits)).length).toBeGreaterThan(0);
    expect(await page.locator('img[src="x"]').count()).toBe(1);
  });
});
