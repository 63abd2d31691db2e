// Orchestration overhead: LM calls per second through the whole core path — Predict renders the
// prompt with the chat adapter, the model createLanguageModel makes for an `openai` binding (the
// OpenAI-compatible provider inside its retry and concurrency wrappers) sends it over real HTTP to a
// zero-latency stub in another process, the completion is parsed, scored, and every trace is
// saved to SQLite — next to the same stub hit by bare HTTP requests with a pre-built body.
// Goals: >= 2,000 calls/s, and >= 0.5 of the bare rate (the stub's own cost bounds both).

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ChatAdapter } from '../core/adapter/chat-adapter.ts';
import { evaluate } from '../core/evaluate/evaluate.ts';
import { createLanguageModel } from '../core/lm/create-language-model.ts';
import type { ProgramEnv } from '../core/program/context.ts';
import { example, type Example } from '../core/program/example.ts';
import { openStore } from '../core/store/index.ts';
import { irisTask } from '../core/tasks/iris.ts';
import { startStubServer } from '../tests/fixtures/stub-server-process.ts';
import { atLeast, info, type BenchResult } from './lib.ts';

const CONCURRENCY = 16;
const CALLS = 6000;
const BATCH = 500; // examples per evaluation, each evaluation saved in one transaction

export async function run(): Promise<BenchResult> {
  const stub = await startStubServer({ latencyMs: 0 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-orch-'));
  try {
    const store = openStore(path.join(dir, 'bench.db'));
    const lm = createLanguageModel({ provider: 'openai', model: 'stub-model' }, { baseUrl: stub.baseUrl, maxConcurrency: CONCURRENCY, maxRetries: 0 });
    const env: ProgramEnv = { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: { temperature: 0 } };
    const program = irisTask.createProgram();
    const runId = store.runs.create({ experimentId: store.experiments.create({ name: 'bench', task: 'iris', config: {} }), strategy: 'p', seed: 0, lm: {}, config: {} });
    const stageId = store.stages.create({ runId, parentStageId: null, kind: 'baseline', prefix: '' });
    const examples = syntheticIris(CALLS);

    // Warm-up: open keep-alive connections and JIT the hot path.
    await evaluate(program, examples.slice(0, 200), irisTask.metric, env, { concurrency: CONCURRENCY });

    let errors = 0;
    const coreStart = performance.now();
    for (let i = 0; i < examples.length; i += BATCH) {
      const result = await evaluate(program, examples.slice(i, i + BATCH), irisTask.metric, env, { concurrency: CONCURRENCY });
      errors += result.errors;
      store.evaluations.save({
        runId,
        stageId,
        split: 'dev',
        results: result.results.map((r) => ({ exampleIndex: r.index, exampleId: r.example.id, score: r.score, passed: r.passed, prediction: r.prediction, trace: r.trace })),
      });
    }
    const coreSeconds = (performance.now() - coreStart) / 1000;
    const stored = store.lmCalls.count({ runId });
    store.close();

    // The same prompts, pre-rendered, sent by a bare keep-alive HTTP pool: no adapter, no parse, no store.
    const bodies = examples.map((ex) =>
      JSON.stringify({ model: 'stub-model', temperature: 0, messages: new ChatAdapter().format(program.predictors()[0]!.signature, [], ex.inputs) }),
    );
    await barePool(`${stub.baseUrl}/chat/completions`, bodies.slice(0, 200));
    const bareStart = performance.now();
    await barePool(`${stub.baseUrl}/chat/completions`, bodies);
    const bareSeconds = (performance.now() - bareStart) / 1000;

    const coreRate = CALLS / coreSeconds;
    const bareRate = CALLS / bareSeconds;
    return {
      name: 'orchestration',
      rows: [
        atLeast('core path throughput', coreRate, 'calls/s', 2000),
        atLeast('core / bare HTTP rate', coreRate / bareRate, 'ratio', 0.5),
        info('bare HTTP throughput', bareRate, 'calls/s'),
        info('calls', CALLS, 'calls'),
        info('LM calls stored', stored, 'rows'),
        info('failed calls', errors, 'calls'),
        info('concurrency', CONCURRENCY, 'in flight'),
      ],
      notes: ['the stub server runs in its own process on the same 2-core machine, so its CPU cost is shared with the client in both rows'],
    };
  } finally {
    await stub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function syntheticIris(count: number): Example[] {
  // Distinct inputs so no two requests are identical.
  return Array.from({ length: count }, (_, i) =>
    example(`syn-${i}`, { sepal_length: 4 + (i % 40) / 10, sepal_width: 2 + (i % 23) / 10, petal_length: 1 + (i % 61) / 10, petal_width: 0.1 + (i % 25) / 10 + Math.floor(i / 1000) / 100 }, { species: ['setosa', 'versicolor', 'virginica'][i % 3]! }),
  );
}

async function barePool(url: string, bodies: string[]): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      await new Promise<void>((resolve, reject) => {
        const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            JSON.parse(Buffer.concat(chunks).toString());
            resolve();
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}
