// The workbench in a real browser: the built renderer served by the web server (in-process,
// real API on a temp workspace) to Debian's Chromium, an Iris experiment created in the
// Experiments view against the stub LM server with the real LoRA trainer on a tiny checkpoint
// for its `w` step, its run followed live, then every view on the finished run, the dark theme
// and the command palette. Screenshots of every view go to test-artifacts/ui/.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, chromiumAvailable, startWorkbench, tinyTrainerCommand, type PageGlobal, type Workbench } from '../fixtures/ui-workbench.ts';

let wb: Workbench;
let trainer: string;
let runId: number;
const tid = (id: string) => `[data-testid="${id}"]`;
/** expect.poll gives up after 1 s by default; views may take a few round trips. */
const POLL = { timeout: 10_000 };

/** Uncaught page errors and console errors (HTTP errors the tests provoke are left out). */
const crashes = () => wb.pageErrors.filter((e) => e.startsWith('pageerror') || e.startsWith('console'));

describe.skipIf(!chromiumAvailable)('the workbench in Chromium', () => {
  beforeAll(async () => {
    wb = await startWorkbench({ latencyMs: 25 });
    trainer = await tinyTrainerCommand(wb.dir);
  }, 300_000);

  afterAll(async () => {
    await wb?.close();
  }, 60_000);

  it('answers 401 to API requests without the right token', async () => {
    const call = (headers: Record<string, string>) => fetch(`${wb.server.origin}/api/call/listRuns`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: 'Bearer not-the-token-at-all-0123456789' })).status).toBe(401);
    expect((await fetch(`${wb.server.origin}/api/events`)).status).toBe(401);
    expect((await call({ authorization: `Bearer ${wb.server.token}` })).status).toBe(200);
  });

  it('shows the server’s validation issues in the form instead of crashing', async () => {
    const { page } = wb;
    await wb.goto('#/experiments');
    await page.locator(tid('view-experiments')).waitFor();
    await page.locator(tid('new-experiment')).click();
    await page.locator(tid('nx-strategies')).fill('p, p -> q');
    await page.locator(tid('nx-lm-openai')).check();
    await page.locator(tid('nx-base-url')).fill(wb.stub.baseUrl);
    await page.locator(tid('nx-model')).fill('stub-model');
    await page.locator(tid('nx-submit')).click();
    const issues = page.locator(tid('nx-strategies-issues'));
    await issues.waitFor();
    expect(await issues.textContent()).toMatch(/q/);
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobal).location.hash), POLL).toMatch(/^#\/experiments/);
    await page.locator(tid('new-experiment-form')).waitFor();
    await wb.shot('experiments-validation');

    // A route naming a run that does not exist: an error state, the shell still there.
    await wb.goto('#/runs/999999');
    await page.locator('.state-error').waitFor();
    expect(await page.locator('nav.sidebar').isVisible()).toBe(true);
    await wb.shot('run-not-found');
    expect(crashes()).toEqual([]);
  }, 60_000);

  it('creates an experiment in the Experiments view and follows its run live', async () => {
    const { page } = wb;
    await wb.goto('#/experiments?new=1');
    await page.locator(tid('new-experiment-form')).waitFor();
    await page.locator(tid('nx-strategies')).fill('p, p -> w');
    await page.locator(tid('nx-seeds')).fill('1');
    await page.locator(tid('nx-candidates')).fill('2');
    await page.locator(tid('nx-one-seed-at-a-time')).check();
    await page.locator(tid('nx-lm-openai')).check();
    await page.locator(tid('nx-base-url')).fill(wb.stub.baseUrl);
    await page.locator(tid('nx-model')).fill('stub-model');
    await page.locator(tid('nx-finetune-command')).fill(trainer);
    await page.locator(tid('nx-name')).fill('UI test: iris p, p -> w');
    await wb.shot('experiments-form');
    await page.evaluate(() => {
      (globalThis as unknown as { __marker: number }).__marker = 42;
    });
    await page.locator(tid('nx-submit')).click();
    await page.waitForFunction(() => /^#\/runs\/\d+$/.test((globalThis as unknown as PageGlobal).location.hash), undefined, { timeout: 30_000 });
    runId = Number((await page.evaluate(() => (globalThis as unknown as PageGlobal).location.hash)).split('/')[2]);
    await page.locator(tid('view-run')).waitFor();
    // The form's "one seed at a time" reached the spec the run was started with.
    expect((await wb.api.getRun({ runId })).spec?.seedConcurrency).toBe(1);

    // Live: stage statuses and progress cells change while we watch, without a reload.
    const signature = async () => {
      const rows = await page.locator('[data-testid^="stage-row-"]').evaluateAll((els) =>
        els.map((el) => {
          const e = el as unknown as { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null } | null };
          return `${e.getAttribute('data-testid')}:${e.getAttribute('data-status')}:${e.querySelector('.stage-live .mono')?.textContent ?? ''}`;
        }),
      );
      return rows.join('|');
    };
    const seen = new Set<string>();
    let sawProgress = false;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && (seen.size < 4 || !sawProgress)) {
      const s = await signature();
      seen.add(s);
      if (/\d+\/\d+/.test(s)) sawProgress = true;
      if (seen.size === 2) await wb.shot('run-live');
      await page.waitForTimeout(150);
    }
    expect(sawProgress).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(await page.evaluate(() => (globalThis as unknown as { __marker?: number }).__marker)).toBe(42);

    expect(await wb.waitForRunEnd(runId, 480_000)).toBe('finished');
    await expect.poll(() => page.locator(tid('run-header')).textContent(), { timeout: 15_000 }).toMatch(/finished/);
    await page.locator(tid('results-table')).waitFor();
    expect(await page.locator('[data-testid^="result-row-"]').count()).toBe(3);
    expect(await page.evaluate(() => (globalThis as unknown as { __marker?: number }).__marker)).toBe(42);
    // a run on a remote server ends with a determinism check; the stub answers every request the same
    await expect.poll(() => page.locator(tid('run-reproducibility')).textContent(), { timeout: 15_000 }).toBe('reproducible');
    expect(await page.locator(tid('run-reproducibility')).getAttribute('title')).toMatch(/^determinism: 8 of 8 requests sent again gave the same completion/);
    await wb.shot('run-finished');
  }, 600_000);

  it('plots accuracy against cost: a point per strategy, the Pareto front, dollars once prices are set', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}`);
    const chart = page.locator(`${tid('view-run')} ${tid('cost-chart')}`);
    await chart.waitFor();
    const rows = await page.locator('[data-testid^="result-row-"]').count();
    await expect.poll(() => chart.locator(tid('cost-chart-point')).count(), POLL).toBe(rows);
    const strategies = await chart.locator(tid('cost-chart-point')).evaluateAll((els) => els.map((el) => (el as unknown as { getAttribute(n: string): string | null }).getAttribute('data-strategy')));
    expect(strategies.sort()).toEqual(['', 'p', 'p -> w']);
    expect(await chart.locator(tid('cost-chart-label')).allTextContents()).toHaveLength(rows);
    // the front: a line through its points, which are drawn filled (data-front)
    const front = chart.locator(tid('cost-chart-pareto'));
    expect(await front.count()).toBe(1);
    const onFront = await chart.locator(`${tid('cost-chart-point')}[data-front="true"]`).count();
    expect(onFront).toBeGreaterThanOrEqual(1);
    expect(Number(await front.getAttribute('data-points'))).toBe(onFront);
    // one seed: no CI, so no error bars
    expect(await chart.locator(tid('cost-chart-error-bar')).count()).toBe(0);
    expect(await chart.locator(tid('cost-chart-note')).textContent()).toMatch(/attributed per seed — shared prefixes charged to each strategy/);
    // no prices yet: no dollars
    const measure = chart.locator(tid('cost-chart-measure'));
    expect(await measure.inputValue()).toBe('tokens');
    expect(await measure.locator('option').allTextContents()).toEqual(['tokens', 'LM calls', 'seconds']);

    // a bad price is refused with one line, the axis stays as it was
    await chart.locator(tid('cost-price-inputPerMillion')).fill('abc');
    await chart.locator(tid('cost-prices-save')).click();
    expect(await chart.locator(tid('cost-prices-error')).textContent()).toMatch(/^\$ \/ 1M prompt tokens: must be a number ≥ 0, got “abc”$/);
    expect(await measure.inputValue()).toBe('tokens');

    await chart.locator(tid('cost-price-inputPerMillion')).fill('0.5');
    await chart.locator(tid('cost-price-outputPerMillion')).fill('1.5');
    await chart.locator(tid('cost-price-finetunePerHour')).fill('2');
    await chart.locator(tid('cost-prices-save')).click();
    await expect.poll(() => measure.inputValue(), POLL).toBe('dollars');
    expect(await chart.getAttribute('data-measure')).toBe('dollars');
    expect(await chart.locator(tid('cost-prices-error')).count()).toBe(0);
    expect(await chart.locator('svg.recharts-surface').textContent()).toMatch(/\$.*dollars per seed/);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).localStorage.getItem('tandem.prices.stub-model'))).toBe(JSON.stringify({ inputPerMillion: 0.5, outputPerMillion: 1.5, finetunePerHour: 2 }));
    await wb.shot('run-cost');
    await chart.scrollIntoViewIfNeeded();
    await chart.screenshot({ path: `${ARTIFACTS_DIR}/run-cost-chart.png` });

    // another measure still picks; the prices stay remembered after a reload of the view
    await measure.selectOption('lmCalls');
    expect(await chart.getAttribute('data-measure')).toBe('lmCalls');
    await page.reload();
    await page.locator(tid('cost-chart')).waitFor();
    expect(await page.locator(tid('cost-chart')).getAttribute('data-measure')).toBe('dollars');

    // The exported report prices the costs at the same saved prices, and carries the significance table.
    await page.locator(tid('run-export-format')).selectOption('markdown');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('run-export-button')).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toContain('## Is the difference real? (vs vanilla zero-shot, test)');
    expect(text).toMatch(/\| dollars \| gain \(points\) \| points per dollar \|/);
    expect(text).toContain('Prices: $0.5 per 1M prompt tokens, $1.5 per 1M completion tokens, $2 per fine-tune hour.');
    // PDF: the same report printed by headless Chromium where the API runs, downloaded in pieces.
    await page.locator(tid('run-export-format')).selectOption('pdf');
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.locator(tid('run-export-button')).click()]);
    expect(pdf.suggestedFilename()).toMatch(/^report-\d+-.*\.pdf$/);
    expect(readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(crashes()).toEqual([]);
  }, 60_000);

  it('shows the candidates of the p stage with their demos', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}/candidates`);
    await page.locator(tid('view-candidates')).waitFor();
    const rows = page.locator(tid('candidate-row'));
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    // Select candidates until one with demos shows them (zero-shot has none).
    let demos = 0;
    for (let i = (await rows.count()) - 1; i >= 0 && demos === 0; i--) {
      await rows.nth(i).click();
      await page.locator(tid('candidate-detail')).waitFor();
      await page.waitForTimeout(300);
      demos = await page.locator(tid('candidate-demo')).count();
    }
    expect(demos).toBeGreaterThan(0);
    await wb.shot('candidates');
  }, 60_000);

  it('filters, searches and opens traces', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}/traces`);
    await page.locator(tid('view-traces')).waitFor();
    const rows = page.locator(tid('trace-row'));
    await rows.first().waitFor();
    const texts = () => rows.allTextContents();
    const all = await texts();
    expect(all.length).toBeGreaterThan(5);

    // Each filter until every row on screen agrees with it (rows switch over a frame or two).
    const allRows = (re: RegExp) => async () => {
      const t = await texts();
      return t.length > 0 && t.every((row) => re.test(row));
    };
    await page.locator(tid('filter-outcome')).selectOption('fail');
    await expect.poll(allRows(/fail/), POLL).toBe(true);
    await page.locator(tid('filter-outcome')).selectOption('pass');
    await expect.poll(allRows(/pass/), POLL).toBe(true);
    await page.locator(tid('filter-outcome')).selectOption('');
    await expect.poll(texts, POLL).toEqual(all);

    const testRows = await texts();
    await page.locator(tid('filter-split')).selectOption('dev');
    await expect.poll(texts, POLL).not.toEqual(testRows);
    await page.locator(tid('filter-split')).selectOption('test');
    await expect.poll(texts, POLL).toEqual(testRows);

    // Full-text search: only rows that mention the word (the count above the list says how many).
    const count = page.locator(tid('trace-count'));
    const matching = async () => Number(/(\d+) matching/.exec((await count.textContent()) ?? '')?.[1] ?? NaN);
    const everything = await matching();
    await page.locator(tid('trace-search')).fill('virginica');
    await expect.poll(async () => (await texts()).filter((t) => !/virginica/.test(t)), POLL).toEqual([]);
    await expect.poll(matching, POLL).toBeLessThan(everything);
    expect(await matching()).toBeGreaterThan(0);
    // The box stops at the API's 500 characters; a link can still carry a longer search, which
    // the API refuses: the list shows the validation error instead of crashing.
    await page.locator(tid('trace-search')).fill('x'.repeat(600));
    expect((await page.locator(tid('trace-search')).inputValue()).length).toBe(500);
    await wb.goto(`#/runs/${runId}/traces?q=${'x'.repeat(600)}`);
    const refused = page.locator(`${tid('view-traces')} .state-error`);
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/invalid-input/);
    await wb.shot('traces-invalid-search');
    await page.locator(tid('trace-search')).fill('');
    await expect.poll(texts, POLL).toEqual(testRows);
    expect(await matching()).toBe(everything);

    // A trace: the LM call with its rendered messages.
    await rows.nth(2).click();
    const pane = page.locator(tid('trace-pane'));
    await pane.locator(tid('trace-call')).first().waitFor();
    await expect.poll(() => pane.textContent(), POLL).toMatch(/\[\[ ## species ## \]\]/);
    // the request's sampling settings and its own seed
    expect(await pane.locator(tid('trace-call-sampling')).first().textContent()).toMatch(/^T 0\.1 · seed \d+$/);
    await wb.shot('traces');
  }, 90_000);

  it('compares the strategies: results table and flip matrix', async () => {
    const { page } = wb;
    await wb.goto(`#/compare?runs=${runId}`);
    await page.locator(tid('view-compare')).waitFor();
    await page.locator(tid('compare-table')).waitFor();
    expect(await page.locator(tid('compare-table-row')).count()).toBeGreaterThanOrEqual(2);
    await page.locator(tid('compare-flip-matrix')).first().waitFor();
    // Is the difference real: a row per compared strategy and one plain sentence each.
    await page.locator(tid('compare-significance')).waitFor();
    expect(await page.locator(tid('compare-significance-row')).count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator(tid('compare-significance-line')).first().textContent()).toMatch(/(beats|trails|no significant difference).*\(95% CI .* to .*, p .*, Holm .*\)/);
    // accuracy against cost, priced with the prices set in the Run view for the same model
    const chart = page.locator(`${tid('compare-cost')} ${tid('cost-chart')}`);
    await chart.waitFor();
    await expect.poll(() => chart.locator(tid('cost-chart-point')).count(), POLL).toBe(3);
    expect(await chart.getAttribute('data-measure')).toBe('dollars');
    expect(await chart.locator(tid('cost-chart-pareto')).count()).toBe(1);
    await wb.shot('compare');
  }, 60_000);

  it('shows the fine-tune job with its loss curve', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}/finetune`);
    await page.locator(tid('view-finetune')).first().waitFor();
    await page.locator(tid('finetune-jobs')).waitFor();
    await page.locator(tid('finetune-detail')).waitFor();
    await expect.poll(() => page.locator(tid('finetune-detail')).textContent(), POLL).toMatch(/finished/);
    await page.locator(tid('loss-chart')).waitFor();
    // each job row names the modules (predictors) it trained
    const jobs = await wb.api.listFinetuneJobs({ runId });
    expect(await page.locator(tid('finetune-job-modules')).first().textContent()).toBe(jobs[0]!.predictors.join(', '));
    await wb.shot('finetune');
  }, 60_000);

  it('shows models and providers', async () => {
    const { page } = wb;
    await wb.goto('#/models');
    await page.locator(tid('view-models')).waitFor();
    await page.waitForTimeout(500);
    await wb.shot('models');
    await wb.goto('#/experiments');
    await page.locator(tid(`experiment-row-1`)).waitFor();
    await wb.shot('experiments');
  }, 60_000);

  it('switches to the dark theme and runs a command from the palette', async () => {
    const { page } = wb;
    await wb.goto(`#/runs/${runId}`);
    await page.locator(tid('view-run')).waitFor();
    const theme = () => page.evaluate(() => (globalThis as unknown as PageGlobal).document.documentElement.dataset.theme);
    const before = await theme();
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    expect(await theme()).not.toBe(before);
    if ((await theme()) !== 'dark') await page.getByRole('button', { name: 'Toggle theme' }).click();
    expect(await theme()).toBe('dark');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).localStorage.getItem('tandem.theme'))).toBe('dark');

    // Every view once more, dark.
    const views: Array<[string, string, string]> = [
      ['run', `#/runs/${runId}`, 'view-run'],
      ['candidates', `#/runs/${runId}/candidates`, 'view-candidates'],
      ['traces', `#/runs/${runId}/traces`, 'view-traces'],
      ['finetune', `#/runs/${runId}/finetune`, 'view-finetune'],
      ['compare', `#/compare?runs=${runId}`, 'view-compare'],
      ['models', '#/models', 'view-models'],
      ['experiments', '#/experiments', 'view-experiments'],
    ];
    for (const [name, hash, root] of views) {
      await wb.goto(hash);
      await page.locator(tid(root)).first().waitFor();
      await page.waitForTimeout(700);
      await wb.shot(`${name}-dark`);
    }

    // Ctrl+K, type, Enter: the palette runs "Go to Compare".
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('go to compare');
    await wb.shot('palette');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobal).location.hash), POLL).toMatch(/^#\/compare/);
    expect(await palette.count()).toBe(0);
    await page.locator(tid('view-compare')).waitFor();
    expect(crashes()).toEqual([]);
  }, 120_000);

  it('compares two runs of the task strategy by strategy', async () => {
    const { page } = wb;
    const experiment = await wb.api.createExperiment({
      task: 'iris',
      name: 'UI test: a second iris run',
      strategies: 'p',
      seeds: 1,
      lm: { provider: 'openai', model: 'stub-model', baseUrl: wb.stub.baseUrl },
      optimizer: { candidates: 0 },
    });
    const second = (await wb.api.startRun({ experimentId: experiment.id })).runId;
    expect(await wb.waitForRunEnd(second, 120_000)).toBe('finished');
    await wb.goto(`#/compare?runs=${runId},${second}`);
    const section = page.locator(tid('compare-runs-significance'));
    await section.waitFor();
    // zero-shot and p: the strategies both runs have
    await expect.poll(() => section.locator(tid('compare-runs-row')).count(), POLL).toBe(2);
    expect(await section.textContent()).toMatch(new RegExp(`each run against #${runId}, strategy by strategy, on test`));
    await wb.shot('compare-runs');
    // One report for the selection: both runs, the second against the first, each run's own sections.
    await page.locator(tid('compare-export-format')).selectOption('markdown');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('compare-export-button')).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toMatch(new RegExp(`^# Tandem runs ${runId}, ${second}\\n`));
    expect(text).toContain(`## Run ${second} against run ${runId} on test, strategy by strategy`);
    expect(text).toContain('| dollars |'); // priced at the prices saved earlier for stub-model
    expect(crashes()).toEqual([]);
  }, 180_000);

  // Runs last: by now every view has been shown, light and dark, charts and virtual lists included.
  it('made the browser report no Content Security Policy violation on any page (styles without unsafe-inline)', () => {
    expect(wb.cspViolations).toEqual([]);
  });
});
