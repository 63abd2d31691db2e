// A task file through the API, as the workbench's form gives it: createExperiment loads the file
// (its errors are input errors on `task`, nothing saved), and the run resumes from the saved source.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { apiError, openWorkspace, runEnded, type Workspace } from '../unit/api/helpers.ts';

let stub: StubServerHandle;
let ws: Workspace;
let dir: string;

const TASK = `import { defineTask, example, Module, Predict, signature, type CallContext, type FieldValue } from 'tandem';

class Echo extends Module {
  say = new Predict(signature().input('word', 'A word.').output('answer', 'The same word.').instructions('Repeat the word.').build());
  forward(inputs: Record<string, FieldValue>, ctx: CallContext) {
    return this.say.forward(inputs, ctx);
  }
}

export default defineTask({
  name: 'echo-api',
  description: 'Repeat a word.',
  program: () => new Echo(),
  metric: (ex, pred) => (pred.answer === ex.labels.answer ? 1 : 0),
  examples: () => ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((w, i) => example('w' + i, { word: w }, { answer: w })),
});
`;

beforeAll(async () => {
  stub = await startStubServer({});
  ws = openWorkspace();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-api-task-'));
  writeFileSync(path.join(dir, 'echo.ts'), TASK);
  writeFileSync(path.join(dir, 'broken.ts'), "import { defineTask } from 'tandem';\nexport default defineTask({ name: 'broken' });\n");
}, 60_000);

afterAll(async () => {
  await ws?.close();
  await stub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a task file through the API', () => {
  it('creates and runs an experiment whose task is a file, saving where it came from', async () => {
    const lm = { provider: 'openai' as const, model: 'stub-model', baseUrl: stub.baseUrl };
    const file = path.join(dir, 'echo.ts');
    const experiment = await ws.api.createExperiment({ task: file, strategies: 'p', lm, optimizer: { candidates: 1 } });
    expect(experiment.task).toBe('echo-api');
    expect(experiment.spec!.taskSource).toMatchObject({ kind: 'module', file, checks: [] });
    const { runId } = await ws.api.startRun({ experimentId: experiment.id });
    await ws.waitFor(runEnded(runId), 60_000);
    const run = await ws.api.getRun({ runId });
    expect(run.run.status).toBe('finished');
    expect(run.results.rows.map((r) => r.strategy)).toEqual(['', 'p']);
  });

  it('refuses a bad task file as an input error on task, saving nothing', async () => {
    const before = (await ws.api.listExperiments({})).length;
    const error = await apiError(ws.api.createExperiment({ task: path.join(dir, 'broken.ts'), lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl } }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/task "broken": description must be a non-empty string/);
    expect(error.issues?.[0]?.path).toBe('task');
    expect((await ws.api.listExperiments({})).length).toBe(before);
  });
});
