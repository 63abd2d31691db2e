// A no-code task made in the workbench, in Chromium: the Tasks page's New task form filled in for
// a small CSV with one column mapped to a column the file lacks (the issue names the CSV and its
// line, at the mapping's line in the YAML), then fixed (the first rows and the first prompt are
// previewed), saved into the workspace (listed), and run from its "New experiment" against the
// stub LM until the Run view shows the results table. Screenshots go to
// test-artifacts/ui/task-form-*.png.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startWorkbench, type PageGlobal, type Workbench } from '../fixtures/ui-workbench.ts';

let wb: Workbench;
let csv: string;
const tid = (id: string) => `[data-testid="${id}"]`;
const crashes = () => wb.pageErrors.filter((e) => e.startsWith('pageerror') || e.startsWith('console'));

// The stub LM answers a question with its last number: right for "0 plus N", wrong otherwise.
const ROWS = Array.from({ length: 15 }, (_, i) => {
  const a = i % 3 === 0 ? 0 : i + 1;
  const b = (i * 7) % 10;
  return [`s${String(i + 1).padStart(2, '0')}`, `What is ${a} plus ${b}?`, String(a + b)];
});

describe.skipIf(!chromiumAvailable)('the New task form', () => {
  beforeAll(async () => {
    wb = await startWorkbench();
    csv = path.join(wb.dir, 'data', 'sums.csv');
    mkdirSync(path.dirname(csv), { recursive: true });
    writeFileSync(csv, `id,problem,solution\n${ROWS.map((r) => r.join(',')).join('\n')}\n`);
  }, 300_000);

  afterAll(async () => {
    await wb?.close();
  }, 60_000);

  it('shows a bad column mapping with the file and line, previews the fixed task, saves it and runs it', async () => {
    const { page } = wb;
    await wb.goto('#/tasks');
    await page.locator(tid('view-tasks')).waitFor();
    await page.locator(tid('new-task')).click();
    const form = page.locator(tid('task-form'));
    await form.waitFor();
    await page.locator(tid('task-name')).fill('ui-sums');
    await page.locator(tid('task-description')).fill('Add two small numbers.');
    await page.locator(tid('task-dataset-file')).fill(csv);
    await page.locator(tid('task-id-column')).fill('id');
    await page.locator(tid('task-input-0-name')).fill('question');
    await page.locator(tid('task-input-0-column')).fill('prompt');
    await page.locator(tid('task-input-0-description')).fill('A sum in words.');
    await page.locator(tid('task-output-0-name')).fill('answer');
    await page.locator(tid('task-output-0-column')).fill('solution');
    await page.locator(tid('task-output-0-description')).fill('The number.');
    await page.locator(tid('task-instructions')).fill('Answer with the number only.');
    await page.locator(tid('task-stage-0-kind')).selectOption('predict');
    await page.locator(tid('task-metric')).selectOption('integer');

    // The CSV has no column "prompt": one issue, at the mapping's line, naming the file and its line.
    const issue = page.locator(tid('task-issue'));
    await expect.poll(() => issue.count(), { timeout: 15_000 }).toBe(1);
    const yaml = await page.locator(tid('task-yaml')).inputValue();
    const mappingLine = yaml.split('\n').findIndex((l) => l.trim() === 'question: prompt') + 1;
    expect(mappingLine).toBeGreaterThan(0);
    expect(await issue.getAttribute('data-line')).toBe(String(mappingLine));
    const issueText = (await issue.textContent()) ?? '';
    expect(issueText).toContain(`line ${mappingLine}`);
    expect(issueText).toContain('dataset.columns.question');
    expect(issueText).toContain(`${csv}, line 1`);
    expect(issueText).toContain('"prompt" (for field "question")');
    expect(await page.locator(tid('task-issue-file')).textContent()).toBe(`in ${csv}, line 1`);
    expect(await page.locator(tid('task-save')).isDisabled()).toBe(true);
    expect(await page.locator(tid('task-preview')).count()).toBe(0);
    await wb.shot('task-form-issues');

    // Fixed: the first five rows and the prompt of the first example.
    await page.locator(tid('task-input-0-column')).fill('problem');
    const preview = page.locator(tid('task-preview'));
    await preview.waitFor({ timeout: 15_000 });
    expect(await page.locator(tid('task-issue')).count()).toBe(0);
    const cells = await preview.locator(`${tid('task-preview-rows')} tbody tr`).evaluateAll((rows) =>
      rows.map((r) => ((r as unknown as { innerText: string }).innerText ?? '').split('\t').map((c) => c.trim())),
    );
    expect(cells).toEqual(ROWS.slice(0, 5));
    expect(await preview.textContent()).toContain(`first 5 of ${ROWS.length} examples`);
    const prompt = (await page.locator(tid('task-preview-prompt')).textContent()) ?? '';
    expect(prompt).toContain('Answer with the number only.');
    expect(prompt).toContain(ROWS[0]![1]);
    expect(prompt).toContain('[[ ## question ## ]]');
    expect(await page.locator(tid('task-check-state')).textContent()).toBe('valid');
    await wb.shot('task-form-preview');

    // The text edited by hand is checked too: a schema problem on its line.
    const good = await page.locator(tid('task-yaml')).inputValue();
    await page.locator(tid('task-yaml')).fill(good.replace('kind: integer', 'kind: integr'));
    await expect.poll(() => page.locator(tid('task-issue')).count(), { timeout: 15_000 }).toBe(1);
    const kindLine = good.split('\n').findIndex((l) => l.trim() === 'kind: integer') + 1;
    expect(await page.locator(tid('task-issue')).getAttribute('data-line')).toBe(String(kindLine));
    expect(await page.locator(tid('task-issue')).textContent()).toContain('metric');
    expect(await page.locator(tid('task-save')).isDisabled()).toBe(true);
    await page.locator(tid('task-yaml')).fill(good);
    await preview.waitFor({ timeout: 15_000 });

    // A metric's own options appear with it and reach the text.
    await page.locator(tid('task-metric')).selectOption('f1');
    await page.locator(tid('task-metric-threshold')).fill('0.8');
    await expect.poll(() => page.locator(tid('task-yaml')).inputValue()).toContain('threshold: 0.8');
    await page.locator(tid('task-metric')).selectOption('integer');
    expect(await page.locator(tid('task-metric-threshold')).count()).toBe(0);

    // A second stage: the first must name what it writes for the second (an issue on its line until it does).
    await page.locator(tid('task-add-stage')).click();
    await expect.poll(() => page.locator(tid('task-issue')).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.locator(tid('task-issues')).textContent()).toContain('stages[0].outputs');
    await page.locator(tid('task-stage-0-outputs')).fill('plan');
    await expect.poll(() => page.locator(tid('task-preview-stages')).textContent(), { timeout: 15_000 }).toContain('question, plan → answer');
    await wb.shot('task-form-stages');
    await page.getByRole('button', { name: 'remove stage 2' }).click();
    await page.locator(tid('task-stage-0-kind')).selectOption('predict');
    await expect.poll(() => page.locator(tid('task-preview-stages')).textContent(), { timeout: 15_000 }).toBe('stages[0] (predict): question → answer');

    // Saved into the workspace's tasks folder, and listed.
    await page.locator(tid('task-save')).click();
    const saved = path.join(path.dirname(wb.dbPath), 'tasks', 'ui-sums.yaml');
    await expect.poll(() => page.locator(tid('task-saved')).textContent(), { timeout: 10_000 }).toContain(saved);
    expect(readFileSync(saved, 'utf8')).toBe(await page.locator(tid('task-yaml')).inputValue());
    const row = page.locator(tid('saved-task-ui-sums'));
    await row.waitFor();
    expect(await row.textContent()).toContain('Add two small numbers.');
    expect((await wb.api.listTaskDefinitions()).tasks.map((t) => [t.name, t.problem])).toEqual([['ui-sums', null]]);
    await wb.shot('task-form-saved');

    // Saving again asks before replacing the saved file.
    await page.locator(tid('task-save')).click();
    await expect.poll(() => page.locator(tid('task-save-error')).textContent(), { timeout: 10_000 }).toContain('already saved');
    await page.locator(tid('task-overwrite')).click();
    await expect.poll(() => page.locator(tid('task-saved')).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator(tid('task-save-error')).count()).toBe(0);

    // New experiment from the saved task: the form opens with the file as the task.
    await row.locator(tid('saved-task-new-experiment')).click();
    await page.locator(tid('new-experiment-form')).waitFor();
    expect(await page.locator(tid('nx-task')).inputValue()).toBe(':file');
    expect(await page.locator(tid('nx-task-file')).inputValue()).toBe(saved);
    await page.locator(tid('nx-strategies')).fill('p');
    await page.locator(tid('nx-seeds')).fill('1');
    await page.locator(tid('nx-candidates')).fill('1');
    await page.locator(tid('nx-lm-openai')).check();
    await page.locator(tid('nx-base-url')).fill(wb.stub.baseUrl);
    await page.locator(tid('nx-model')).fill('stub-model');
    await wb.shot('task-form-new-experiment');
    await page.locator(tid('nx-submit')).click();
    await page.waitForFunction(() => /^#\/runs\/\d+$/.test((globalThis as unknown as PageGlobal).location.hash), undefined, { timeout: 30_000 });
    const runId = Number((await page.evaluate(() => (globalThis as unknown as PageGlobal).location.hash)).split('/')[2]);
    expect(await wb.waitForRunEnd(runId, 240_000)).toBe('finished');
    const detail = await wb.api.getRun({ runId });
    expect(detail.spec?.taskSource).toMatchObject({ kind: 'definition', file: saved });

    await page.locator(tid('view-run')).waitFor();
    await expect.poll(() => page.locator(tid('run-header')).textContent(), { timeout: 15_000 }).toMatch(/finished/);
    await page.locator(tid('results-table')).waitFor();
    // The zero-shot baseline and p.
    expect(await page.locator('[data-testid^="result-row-"]').count()).toBe(2);
    expect(await page.locator(tid('run-header')).textContent()).toContain('ui-sums');
    await wb.shot('task-form-run');

    // The list in the dark theme, with the form open again.
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await wb.goto('#/tasks?new=1');
    await page.locator(tid('saved-task-ui-sums')).waitFor();
    await page.locator(tid('task-form')).waitFor();
    await wb.shot('task-form-dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    expect(crashes()).toEqual([]);
  }, 400_000);
});
