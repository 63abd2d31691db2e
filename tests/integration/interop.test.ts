// DSPy and OpenInference interop on a real run: `tandem run --from-dspy` starts from a DSPy saved
// program (written from DSPy's documented format, tests/fixtures/interop), `tandem export-dspy`
// gives the stage programs back as DSPy JSON, and `tandem export-traces` / the API's exportTraces
// write the evaluation traces as OpenInference spans. The LM is the OpenAI-compatible stub server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../core/api/index.ts';
import { saveState } from '../../core/program/state.ts';
import { dspyToProgramState } from '../../core/report/dspy-state.ts';
import type { OtlpSpan, OtlpTraces } from '../../core/report/openinference.ts';
import { getTask } from '../../core/tasks/registry.ts';
import { runCli } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/interop/dspy-iris-program.json');
const documented = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, { demos: unknown[]; signature: { instructions: string; fields: Array<{ description: string }> } }>;
const AUGMENTED_REASONING = 'Petals of 4.5 cm by 1.5 cm are mid-sized: too large for setosa, too small for virginica.';

let stub: StubServerHandle;
let dir: string;
let db: string;
let api: Api;

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 2 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-interop-'));
  db = path.join(dir, 'tandem.db');
  const run = await runCli(['run', 'iris', '--strategy', 'p', '--seeds', '1', '--candidates', '1', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, '--from-dspy', FIXTURE, '--json']);
  expect(run.code, run.stderr).toBe(0);
  api = createApi({ dbPath: db, embeddedModelsDir: null, env: {} });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stageOf = async (prefix: string) => (await api.listStages({ runId: 1 })).find((s) => s.prefix === prefix)!;
const spansOf = (doc: OtlpTraces) => doc.resourceSpans[0]!.scopeSpans[0]!.spans;
const attr = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;
const kindOf = (span: OtlpSpan) => (attr(span, 'openinference.span.kind') as { stringValue: string }).stringValue;

describe('a run started from a DSPy saved program', () => {
  it('keeps the imported program in its spec', async () => {
    const detail = await api.getRun({ runId: 1 });
    expect(detail.spec?.initialProgram?.predictors.predict?.demos).toHaveLength(2);
    expect((await api.exportReport({ runId: 1 })).text).toContain('imported from a DSPy saved program (2 demo(s) over 1 predictor(s))');
  });

  it('runs its zero-shot stage with the imported demos and instructions (the stored LM calls show them)', async () => {
    const root = await stageOf('');
    const state = (await api.getStage({ stageId: root.id })).stage.programState!;
    expect(state.predictors.predict!.signature.instructions).toBe(documented['predict.predict']!.signature.instructions);
    expect(state.predictors.predict!.demos.map((d) => d.augmented)).toEqual([true, false]);
    const page = await api.pageLMCalls({ stageId: root.id, limit: 5 });
    expect(page.rows.length).toBeGreaterThan(0);
    const call = await api.getLMCall({ callId: page.rows[0]!.id });
    const text = call.messages.map((m) => m.content).join('\n');
    expect(call.messages[0]!.content).toContain(documented['predict.predict']!.signature.instructions);
    expect(text).toContain(AUGMENTED_REASONING);
    expect(text).toContain('sepal length in centimetres');
  });

  it('exports the zero-shot stage back as the DSPy JSON it came from (round trip through a run)', async () => {
    const out = path.join(dir, 'zero-shot.json');
    const result = await runCli(['export-dspy', '1', '--stage', 'zero-shot', '--out', out, '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as typeof documented;
    expect(Object.keys(exported).sort()).toEqual(['metadata', 'predict']);
    expect(exported.predict!.demos).toEqual(documented['predict.predict']!.demos);
    expect(exported.predict!.signature.instructions).toBe(documented['predict.predict']!.signature.instructions);
    expect(exported.predict!.signature.fields.map((f) => f.description)).toEqual(documented['predict.predict']!.signature.fields.map((f) => f.description));
  });

  it('exports the optimized stage as DSPy JSON that imports into the task program with the same demos', async () => {
    const p = await stageOf('p');
    const file = await api.exportDspyProgram({ stageId: p.id });
    expect(file.filename).toBe(`tandem-run-1-p-seed${p.seed}.dspy.json`);
    const state = (await api.getStage({ stageId: p.id })).stage.programState!;
    const back = dspyToProgramState(JSON.parse(file.text), saveState(getTask('iris').createProgram()));
    expect(back.predictors.predict!.demos.map((d) => [d.fields, d.augmented])).toEqual(state.predictors.predict!.demos.map((d) => [d.fields, d.augmented]));
    expect(back.predictors.predict!.signature).toEqual(state.predictors.predict!.signature);
    // The Π stage started from the imported program: its instructions and descriptions are the file's.
    expect(state.predictors.predict!.signature.instructions).toBe(documented['predict.predict']!.signature.instructions);
    expect(state.predictors.predict!.signature.inputs[0]).toEqual({ name: 'sepal_length', description: 'sepal length in centimetres' });
  });

  it('refuses an export of a stage that does not exist, and an import that does not fit, in one line', async () => {
    await expect(api.exportDspyProgram({ stageId: 999 })).rejects.toMatchObject({ code: 'not-found', message: 'stage 999 does not exist' });
    const wrong = path.resolve(path.dirname(FIXTURE), 'dspy-hotpotqa-program.json');
    const result = await runCli(['import-dspy', wrong, '--task', 'iris']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/does not fit the task's program: it lacks \[predict\]/);
    const run = await runCli(['run', 'iris', '--from-dspy', wrong, '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', path.join(dir, 'other.db')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--from-dspy: the DSPy program does not fit the task's program/);
    // Through the API, the problem is the input field's.
    const lm = { provider: 'openai' as const, model: 'stub-model', baseUrl: stub.baseUrl };
    await expect(api.createExperiment({ task: 'iris', lm, initialProgram: readFileSync(wrong, 'utf8') })).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'initialProgram', message: expect.stringMatching(/^the DSPy program does not fit the task's program: it lacks \[predict\]/) }] });
    await expect(api.createExperiment({ task: 'iris', lm, initialProgram: '{"predict": ' })).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'initialProgram', message: expect.stringMatching(/^is not JSON/) }] });
  });

  it('import-dspy shows what a run would start from', async () => {
    const result = await runCli(['import-dspy', FIXTURE, '--task', 'iris']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('predict: 2 demo(s) (1 augmented, 1 labeled)');
    expect(result.stdout).toContain(`instructions: ${documented['predict.predict']!.signature.instructions}`);
  });
});

describe('OpenInference export of a stage\'s traces', () => {
  it('writes one CHAIN span per filtered example with its LLM spans, through the CLI', async () => {
    const root = await stageOf('');
    const passed = await api.pageExampleResults({ stageId: root.id, split: 'test', passed: true, limit: 1 });
    const out = path.join(dir, 'traces.json');
    const result = await runCli(['export-traces', '1', '--stage', 'zero-shot', '--split', 'test', '--passed', '--out', out, '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const spans = spansOf(JSON.parse(readFileSync(out, 'utf8')) as OtlpTraces);
    const chains = spans.filter((s) => kindOf(s) === 'CHAIN');
    expect(chains).toHaveLength(passed.total);
    for (const chain of chains) expect(JSON.parse((attr(chain, 'metadata') as { stringValue: string }).stringValue)).toMatchObject({ run_id: 1, split: 'test', passed: true, stage: 'zero-shot' });
    const llm = spans.filter((s) => kindOf(s) === 'LLM');
    expect(llm.length).toBeGreaterThanOrEqual(chains.length);
    expect(attr(llm[0]!, 'llm.model_name')).toEqual({ stringValue: 'stub-model' });
    const contents = llm[0]!.attributes.filter((a) => /^llm\.input_messages\.\d+\.message\.content$/.test(a.key)).map((a) => (a.value as { stringValue: string }).stringValue);
    expect(contents.join('\n')).toContain(AUGMENTED_REASONING);
    expect(Number((attr(llm[0]!, 'llm.token_count.total') as { intValue: string }).intValue)).toBeGreaterThan(0);
  });

  it('exports an evaluation by id with a limit and a search, through the API', async () => {
    const root = await stageOf('');
    const all = await api.pageExampleResults({ stageId: root.id, split: 'dev', limit: 1 });
    const file = await api.exportTraces({ evaluationId: all.evaluation.id, limit: 2 });
    expect(file.filename).toBe(`tandem-run-1-zero-shot-seed${root.seed}-dev-eval${all.evaluation.id}.otlp.json`);
    expect(spansOf(JSON.parse(file.text) as OtlpTraces).filter((s) => kindOf(s) === 'CHAIN')).toHaveLength(Math.min(2, all.total));
    const none = await api.exportTraces({ evaluationId: all.evaluation.id, search: 'no such words here' });
    expect(spansOf(JSON.parse(none.text) as OtlpTraces)).toEqual([]);
    await expect(api.exportTraces({ stageId: root.id })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
