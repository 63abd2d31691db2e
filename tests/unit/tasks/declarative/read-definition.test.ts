// Reading definition files: JSON and YAML give the same definition, and every problem names the
// file and the line (syntax errors where parsing stopped, schema problems at their field).

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTaskDefinition, TaskDefinitionError } from '../../../../core/tasks/declarative/index.ts';
import { minimalDefinition, tempFolder, type TempFolder } from './helpers.ts';

let folder: TempFolder;
beforeAll(async () => {
  folder = await tempFolder();
});
afterAll(() => folder.cleanup());

const YAML = `# A sentiment task
name: reviews
dataset:
  file: reviews.csv
inputs:
  - name: review
    description: A product review.
outputs:
  - name: sentiment
    description: positive, negative or neutral.
metric:
  kind: label
  field: sentiment
  labels: [positive, negative, neutral]
`;

async function failure(name: string, text: string): Promise<TaskDefinitionError> {
  const file = await folder.write(name, text);
  try {
    await readTaskDefinition(file);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskDefinitionError);
    return error as TaskDefinitionError;
  }
  throw new Error(`${name} was read without an error`);
}

describe('reading a task definition file', () => {
  it('reads YAML and JSON to the same definition, with the folder relative paths start from', async () => {
    const yamlFile = await folder.write('task.yaml', YAML);
    const jsonFile = await folder.write('task.json', JSON.stringify(minimalDefinition(), null, 2));
    const fromYaml = await readTaskDefinition(yamlFile);
    const fromJson = await readTaskDefinition(jsonFile);
    expect(fromYaml.definition).toEqual(fromJson.definition);
    expect(fromYaml.baseDir).toBe(folder.dir);
    expect(fromYaml.file).toBe(path.join(folder.dir, 'task.yaml'));
    expect(fromYaml.definition.metric).toEqual({ kind: 'label', field: 'sentiment', labels: ['positive', 'negative', 'neutral'] });
  });

  it('reports a YAML syntax error with its line', async () => {
    const error = await failure('bad.yaml', YAML.replace('labels: [positive, negative, neutral]', 'labels: [positive, negative'));
    expect(error.line).toBe(15);
    expect(error.message).toMatch(/^.*bad\.yaml: line 15, column \d+: invalid YAML: /);
    const twice = await failure('twice.yml', `${YAML}name: again\n`);
    expect(twice.message).toMatch(/twice\.yml: line 15, column 1: invalid YAML: Map keys must be unique/);
  });

  it('reports a JSON syntax error with its line and column', async () => {
    const text = JSON.stringify(minimalDefinition(), null, 2).replace('"dataset": {', '"dataset": {,');
    const error = await failure('bad.json', text);
    const line = text.split('\n').findIndex((l) => l.includes('"dataset": {,')) + 1;
    expect(error.issues[0]).toMatchObject({ line, column: 15 });
    expect(error.message).toMatch(new RegExp(`bad\\.json: line ${line}, column 15: invalid JSON: `));
  });

  it('reports schema problems at the line of their field, or of the unknown key', async () => {
    const error = await failure('schema.yaml', YAML.replace('kind: label', 'kind: bleu').replace('file: reviews.csv', 'file: reviews.csv\n  colums: {}'));
    expect(error.issues.map((i) => [i.line, i.path])).toEqual(
      expect.arrayContaining([
        [5, 'dataset'],
        [13, 'metric.kind'],
      ]),
    );
    expect(error.message).toContain('line 5, column 3 (dataset): unknown field "colums"');
    expect(error.message).toContain('line 13, column 9 (metric.kind): must be one of "exact"');

    const stage = await failure('stage.yaml', `${YAML}stages:\n  - outputs: [aspect]\n  - inputs: [review, topic]\n`);
    expect(stage.message).toMatch(/stage\.yaml: line 17, column 22 \(stages\[1\]\.inputs\[1\]\): "topic" is not a task input or an earlier stage's output/);

    const missing = await failure('missing.yaml', YAML.replace('  labels: [positive, negative, neutral]\n', '').replace('kind: label', 'kind: f1'));
    // A missing field is reported where its object starts.
    expect(missing.message).toMatch(/missing\.yaml: line 12, column 3 \(metric\.threshold\): is required/);

    const typed = await failure('typed.json', '{\n  "name": "reviews",\n  "dataset": {\n    "file": 3\n  }\n}');
    expect(typed.message).toMatch(/typed\.json: line 4, column 13 \(dataset\.file\): must be a string, got 3; line 1, column 1 \(inputs\): is required;/);

    const json = await failure('schema.json', JSON.stringify({ ...minimalDefinition(), name: 'Bad Name' }, null, 2));
    expect(json.message).toMatch(/schema\.json: line 2, column 11 \(name\): must be a lowercase slug/);
  });

  it('says when the file is missing, empty, or not a definition file', async () => {
    await expect(readTaskDefinition(path.join(folder.dir, 'none.yaml'))).rejects.toThrow(/none\.yaml: file not found/);
    expect((await failure('empty.yaml', '# nothing\n')).message).toMatch(/empty\.yaml: the file is empty; expected a task definition/);
    expect((await failure('list.json', '[1, 2]')).message).toMatch(/list\.json: line 1: expected a task definition \(an object with name, dataset, inputs, outputs and metric\), found a list/);
    expect((await failure('task.txt', YAML)).message).toMatch(/task\.txt: a task definition is a \.json, \.yaml or \.yml file/);
  });
});
