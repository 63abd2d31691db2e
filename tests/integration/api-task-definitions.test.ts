// No-code task definitions through core/api (and its callMethod, as transports call it) on a real
// workspace: a text checked with its problems on their lines (YAML syntax, schema, a built-in
// name, a dataset column that is not in the CSV named with the file and its line), a good one
// previewed (first rows, total, stages, the first prompt), saved into <workspace>/tasks (refused
// when invalid, not overwritten unless asked), listed (a broken file with its problem), and an
// experiment created from the saved file.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedTaskDefinitionResult, TaskDefinitionCheck, TaskDefinitionList } from '../../core/contract/views/index.ts';
import { apiError, openWorkspace, type Workspace } from '../unit/api/helpers.ts';

let ws: Workspace;
let csv: string;

const ROWS = [
  ['q1', 'What is 0 plus 4?', '4'],
  ['q2', 'What is 2 plus 3?', '5'],
  ['q3', 'What is 0 plus 9?', '9'],
  ['q4', 'What is 6 plus 1?', '7'],
  ['q5', 'What is 0 plus 2?', '2'],
  ['q6', 'What is 5 plus 5?', '10'],
];

function definitionYaml(column: string): string {
  return [
    'name: sums',
    'description: Add two small numbers.',
    'dataset:',
    `  file: ${csv}`,
    '  idColumn: id',
    '  columns:',
    `    question: ${column}`,
    '    answer: solution',
    'inputs:',
    '  - name: question',
    '    description: A sum in words.',
    'outputs:',
    '  - name: answer',
    '    description: The number.',
    'instructions: Answer with the number only.',
    'stages:',
    '  - kind: predict',
    'metric:',
    '  kind: integer',
    '  field: answer',
    '',
  ].join('\n');
}

beforeAll(() => {
  ws = openWorkspace();
  csv = path.join(ws.dir, 'data', 'sums.csv');
  mkdirSync(path.dirname(csv), { recursive: true });
  writeFileSync(csv, `id,problem,solution\n${ROWS.map((r) => `${r[0]},${r[1]},${r[2]}`).join('\n')}\n`);
});
afterAll(async () => {
  await ws?.close();
});

describe('previewTaskDefinition', () => {
  it('previews a good definition: the first rows, the total, the stages and the first prompt', async () => {
    const check = (await ws.api.callMethod('previewTaskDefinition', { text: definitionYaml('problem'), format: 'yaml' })) as TaskDefinitionCheck;
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.definition.name).toBe('sums');
    expect(check.preview.file).toBe(csv);
    expect(check.preview.total).toBe(6);
    expect(check.preview.rows).toHaveLength(5);
    expect(check.preview.rows[0]).toEqual({ id: 'q1', inputs: { question: 'What is 0 plus 4?' }, labels: { answer: '4' } });
    expect(check.preview.stages.map((s) => [s.path, s.kind, s.inputs.map((f) => f.name), s.outputs.map((f) => f.name)])).toEqual([['stages[0]', 'predict', ['question'], ['answer']]]);
    expect(check.preview.prompt.map((m) => m.role)).toEqual(['system', 'user']);
    expect(check.preview.prompt[0]!.content).toContain('Answer with the number only.');
    expect(check.preview.prompt[1]!.content).toContain('What is 0 plus 4?');
  });

  it('names a missing CSV column with the dataset file and its line, at the mapping’s line in the text', async () => {
    const check = await ws.api.previewTaskDefinition({ text: definitionYaml('prompt'), format: 'yaml' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.issues).toHaveLength(1);
    const [issue] = check.issues;
    expect(issue).toMatchObject({ path: 'dataset.columns.question', line: 7, dataset: { file: csv, line: 1 } });
    expect(issue!.message).toContain(`${csv}, line 1`);
    expect(issue!.message).toContain('"prompt" (for field "question")');
    expect(issue!.message).toContain('id, problem, solution');
  });

  it('gives syntax and schema problems with their lines, and refuses a built-in task’s name', async () => {
    const syntax = await ws.api.previewTaskDefinition({ text: 'name: sums\ndataset: [unclosed\n', format: 'yaml' });
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) expect(syntax.issues[0]!.message).toMatch(/^invalid YAML/);

    const badMetric = definitionYaml('problem').replace('kind: integer', 'kind: integr');
    const schema = await ws.api.previewTaskDefinition({ text: badMetric, format: 'yaml' });
    expect(schema.ok).toBe(false);
    if (!schema.ok) {
      const issue = schema.issues.find((i) => i.path.startsWith('metric'));
      expect(issue, JSON.stringify(schema.issues)).toBeDefined();
      expect(issue!.line).toBeGreaterThanOrEqual(18);
    }

    const json = JSON.stringify({ name: 'iris', dataset: { file: csv }, inputs: [{ name: 'problem' }], outputs: [{ name: 'solution' }], metric: { kind: 'exact', field: 'solution' } }, null, 2);
    const builtIn = await ws.api.previewTaskDefinition({ text: json, format: 'json' });
    expect(builtIn.ok).toBe(false);
    if (!builtIn.ok) expect(builtIn.issues[0]).toMatchObject({ path: 'name', line: 2 });

    const badJson = await ws.api.previewTaskDefinition({ text: '{\n  "name": "x",\n  oops\n}', format: 'json' });
    expect(badJson.ok).toBe(false);
    if (!badJson.ok) expect(badJson.issues[0]).toMatchObject({ line: 3 });
  });

  it('resolves a relative dataset path against the workspace’s tasks folder and says so when it is not there', async () => {
    const text = definitionYaml('problem').replace(`file: ${csv}`, 'file: ../data/sums.csv');
    const check = await ws.api.previewTaskDefinition({ text, format: 'yaml' });
    expect(check.ok, JSON.stringify(check)).toBe(true);
    const missing = await ws.api.previewTaskDefinition({ text: text.replace('../data/sums.csv', 'nope.csv'), format: 'yaml' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.issues[0]).toMatchObject({ path: 'dataset.file', line: 4 });
      expect(missing.issues[0]!.message).toContain(path.join(ws.dir, 'tasks', 'nope.csv'));
      expect(missing.issues[0]!.message).toContain('file not found');
    }
  });

  it('checks its input', async () => {
    expect((await apiError(ws.api.callMethod('previewTaskDefinition', { text: 'x', format: 'toml' }))).code).toBe('invalid-input');
  });
});

describe('saveTaskDefinition and listTaskDefinitions', () => {
  it('lists nothing before a save', async () => {
    expect(await ws.api.listTaskDefinitions()).toEqual({ dir: path.join(ws.dir, 'tasks'), tasks: [] });
  });

  it('refuses an invalid text with its issues and writes nothing', async () => {
    const result = (await ws.api.callMethod('saveTaskDefinition', { name: 'sums', text: definitionYaml('prompt'), format: 'yaml' })) as SavedTaskDefinitionResult;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.path).toBe('dataset.columns.question');
    expect((await ws.api.listTaskDefinitions()).tasks).toEqual([]);
  });

  it('saves, lists, refuses to overwrite unless asked, and lists a broken file with its problem', async () => {
    const text = definitionYaml('problem');
    const saved = await ws.api.saveTaskDefinition({ name: 'sums', text, format: 'yaml' });
    const file = path.join(ws.dir, 'tasks', 'sums.yaml');
    expect(saved).toEqual({ ok: true, name: 'sums', file, format: 'yaml' });
    expect(readFileSync(file, 'utf8')).toBe(text);

    const again = await apiError(ws.api.saveTaskDefinition({ name: 'sums', text, format: 'yaml' }));
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('overwrite');
    const replaced = text.replace('Add two small numbers.', 'Sums of two numbers.');
    expect((await ws.api.saveTaskDefinition({ name: 'sums', text: replaced, format: 'yaml', overwrite: true })).ok).toBe(true);

    writeFileSync(path.join(ws.dir, 'tasks', 'broken.json'), '{ "name": "broken" }');
    const list = (await ws.api.callMethod('listTaskDefinitions', {})) as TaskDefinitionList;
    expect(list.tasks.map((t) => [t.name, t.format, t.taskName, t.problem === null])).toEqual([
      ['broken', 'json', null, false],
      ['sums', 'yaml', 'sums', true],
    ]);
    expect(list.tasks[1]).toMatchObject({ file, description: 'Sums of two numbers.', datasetFile: csv });
    expect(list.tasks[0]!.problem).toContain('broken.json');
    expect(list.tasks[0]!.problem).toContain('dataset');
  });

  it('checks the file name', async () => {
    const error = await apiError(ws.api.callMethod('saveTaskDefinition', { name: '../escape', text: definitionYaml('problem'), format: 'yaml' }));
    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.path).toBe('name');
  });

  it('makes an experiment from the saved file', async () => {
    const file = path.join(ws.dir, 'tasks', 'sums.yaml');
    const experiment = await ws.api.createExperiment({ task: file, strategies: 'p', seeds: 1, lm: { provider: 'openai', model: 'stub-model', baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(experiment.task).toBe('sums');
  });
});
