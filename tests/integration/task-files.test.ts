// A researcher's task file through the real CLI: loaded from outside the repository (the
// 'tandem' specifier resolves anywhere), run, resumed only while the file is unchanged; and bad
// task files refused in one line naming file and line, with nothing written to the workspace.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { runCli } from '../helpers/cli.ts';

let stub: StubServerHandle;
let dir: string;

const TASK = `import { ChainOfThought, defineTask, example, Module, signature, type CallContext, type FieldValue } from 'tandem';
import { PAIRS } from './pairs.ts';

class Capital extends Module {
  answer = new ChainOfThought(signature().input('country', 'A country.').output('capital', 'Its capital city.').instructions('Name the capital.').build());
  forward(inputs: Record<string, FieldValue>, ctx: CallContext) {
    return this.answer.forward(inputs, ctx);
  }
}

export default defineTask({
  name: 'capitals',
  description: 'Name the capital of a country.',
  program: () => new Capital(),
  metric: (ex, pred) => (pred.capital?.trim().toLowerCase() === String(ex.labels.capital).toLowerCase() ? 1 : 0),
  examples: () => PAIRS.map(([country, capital], i) => example(\`c\${i}\`, { country }, { capital })),
});
`;

const PAIRS = `export const PAIRS: Array<[string, string]> = [
  ['France', 'Paris'], ['Germany', 'Berlin'], ['Italy', 'Rome'], ['Spain', 'Madrid'], ['Portugal', 'Lisbon'], ['Austria', 'Vienna'],
  ['Poland', 'Warsaw'], ['Greece', 'Athens'], ['Norway', 'Oslo'], ['Sweden', 'Stockholm'], ['Finland', 'Helsinki'], ['Denmark', 'Copenhagen'],
];
`;

beforeAll(async () => {
  stub = await startStubServer({});
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-task-files-'));
  writeFileSync(path.join(dir, 'capitals.ts'), TASK);
  writeFileSync(path.join(dir, 'pairs.ts'), PAIRS);
}, 60_000);

afterAll(async () => {
  await stub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lm = () => ['--lm', 'openai:stub-model', '--base-url', stub.baseUrl];

describe('tandem run <task file>', () => {
  it('runs a task file from outside the repository, reports it, and resumes it only while the file is unchanged', async () => {
    const db = path.join(dir, 'ws', 'tandem.db');
    const file = path.join(dir, 'capitals.ts');
    const result = await runCli(['run', file, '--strategy', 'p', '--candidates', '1', ...lm(), '--db', db, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.task).toBe('capitals');
    expect(summary.table.map((r: { strategy: string }) => r.strategy)).toEqual(['', 'p']);

    const report = await runCli(['report', String(summary.runId), '--db', db]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^# Tandem run 1: capitals on stub-model/);

    // The spec keeps the file and its hash: a run of it resumes from the file, and refuses a changed one.
    const store = openStore(db);
    const runId = store.runs.create({ experimentId: summary.experimentId, strategy: 'p', seed: 0, lm: { provider: 'openai-compatible', model: 'stub-model' }, config: store.runs.get(summary.runId)!.config });
    store.close();
    writeFileSync(file, TASK.replace("'Name the capital.'", "'Name the capital city.'"));
    const changed = await runCli(['resume', String(runId), '--db', db]);
    expect(changed.code).toBe(1);
    expect(changed.stderr.trim().split('\n')).toHaveLength(1);
    expect(changed.stderr).toMatch(/capitals\.ts: the task file changed since the run started/);
    writeFileSync(file, TASK);
    const resumed = await runCli(['resume', String(runId), '--db', db, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).table).toEqual(summary.table);
  }, 120_000);

  it('refuses bad task files in one line naming file and line, writing nothing', async () => {
    const db = path.join(dir, 'bad', 'tandem.db');
    const cases: Array<[string, string, RegExp]> = [
      ['syntax.ts', "import { defineTask } from 'tandem';\nconst x = ;\n", /syntax\.ts:2: /],
      ['wrong-export.ts', 'export default { name: "x" };\n', /wrong-export\.ts: the default export must be a task made with defineTask\(\) from 'tandem' \(found a default export of type object\)/],
      ['no-export.ts', 'export const task = 1;\n', /no-export\.ts: the default export must be a task made with defineTask\(\) from 'tandem' \(found no default export\)/],
      ['throws.ts', "import { defineTask } from 'tandem';\n\nthrow new Error('not configured');\n", /throws\.ts:3: not configured/],
      ['builtin-name.ts', TASK.replace("name: 'capitals'", "name: 'iris'"), /builtin-name\.ts: "iris" is a built-in task's name/],
      ['bad-name.ts', TASK.replace("name: 'capitals'", "name: 'My Task'"), /task "My Task": name must be lower case/],
      ['metric-throws.ts', TASK.replace(/ {2}metric: .*\n/, '  metric: (ex) => {\n    throw new Error(`no field ${String(ex.labels.missing)}`);\n  },\n'), /metric-throws\.ts:16: task "capitals": the metric \(capitals metric\) threw on example c\d+ .*: no field undefined/],
    ];
    for (const [name, text, expected] of cases) {
      writeFileSync(path.join(dir, name), text);
      const result = await runCli(['run', path.join(dir, name), '--strategy', 'p', ...lm(), '--db', db]);
      expect(result.code, `${name}: ${result.stderr}`).toBe(1);
      expect(result.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(result.stderr, name).toMatch(expected);
    }
    const missing = await runCli(['run', path.join(dir, 'nope.ts'), '--strategy', 'p', ...lm(), '--db', db]);
    expect(missing.stderr).toMatch(/nope\.ts: no such task file/);
    // Nothing was written: the workspace was not even created.
    expect(existsSync(db)).toBe(false);
    expect(readFileSync(path.join(dir, 'capitals.ts'), 'utf8')).toBe(TASK);
  }, 180_000);

  it('runs a no-code definition, and resumes from the definition saved with the run when the file is gone', async () => {
    const defDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-definition-'));
    try {
      const rows = ['id,word,answer', ...['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota'].map((w, i) => `w${i},${w},${w}`)];
      writeFileSync(path.join(defDir, 'words.csv'), rows.join('\n') + '\n');
      const yaml = [
        'name: echo-words',
        'description: Repeat a word.',
        'dataset:',
        '  file: words.csv',
        '  idColumn: id',
        'inputs:',
        '  - { name: word, description: A word. }',
        'outputs:',
        '  - { name: answer, description: The same word. }',
        'instructions: Repeat the word.',
        'metric: { kind: exact, field: answer }',
      ].join('\n');
      const file = path.join(defDir, 'task.yaml');
      writeFileSync(file, yaml + '\n');
      const db = path.join(dir, 'definition', 'tandem.db');
      const result = await runCli(['run', file, '--strategy', 'p', '--candidates', '1', ...lm(), '--db', db, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary.task).toBe('echo-words');

      const store = openStore(db);
      const config = store.runs.get(summary.runId)!.config as { taskSource?: { kind: string; definition: { name: string } } };
      expect(config.taskSource).toMatchObject({ kind: 'definition', file, baseDir: defDir, definition: { name: 'echo-words' } });
      const runId = store.runs.create({ experimentId: summary.experimentId, strategy: 'p', seed: 0, lm: { provider: 'openai-compatible', model: 'stub-model' }, config: store.runs.get(summary.runId)!.config });
      store.close();
      rmSync(file);
      const resumed = await runCli(['resume', String(runId), '--db', db, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout).table).toEqual(summary.table);

      // A definition with a mistake: one line naming the file, the line and the field.
      writeFileSync(file, yaml.replace('metric: { kind: exact, field: answer }', 'metric: { kind: exact, field: anser }') + '\n');
      const bad = await runCli(['run', file, '--strategy', 'p', ...lm(), '--db', path.join(dir, 'bad-def', 'tandem.db')]);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/task\.yaml.*(line )?11.*anser/);

      // A dataset without a mapped column: one line naming the column and the file; no run recorded.
      writeFileSync(file, yaml.replace('  idColumn: id', '  idColumn: id\n  columns: { answer: gold }') + '\n');
      const missingDb = path.join(dir, 'missing-column', 'tandem.db');
      const missing = await runCli(['run', file, '--strategy', 'p', ...lm(), '--db', missingDb]);
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      expect(missing.stderr).toMatch(/words\.csv.*gold/);
      expect(existsSync(missingDb)).toBe(false);
    } finally {
      rmSync(defDir, { recursive: true, force: true });
    }
  }, 120_000);
});
