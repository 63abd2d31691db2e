// Saturation: does the OpenAI-compatible client keep `maxConcurrency` requests in flight?
// A stub server (its own process) answers every request after 100 ms; with 16 slots the ideal
// throughput is 16 / 0.1 s = 160 calls/s. Goal: achieved / ideal >= 0.95 over 400 calls.
// Four warm-up waves (64 calls) open the keep-alive connections and let V8 optimize the hot path
// first; their wall time is reported separately, so the measured window shows the steady state
// that a long run (thousands of calls) lives in.
//
// Two informational rows put the number in context on the machine at hand: a bare node:http
// keep-alive pool with no retries, limiter or parsing (the ceiling), and the same client sending
// through Node's global fetch (why the default transport is node:http).

import http from 'node:http';
import type { ChatRequest, LanguageModel } from '../core/lm/language-model.ts';
import { OpenAICompatibleLM } from '../core/lm/openai-compatible.ts';
import { startStubServer } from '../tests/fixtures/stub-server-process.ts';
import { atLeast, info, percentile, type BenchResult } from './lib.ts';

const LATENCY_MS = 100;
const CONCURRENCY = 16;
const CALLS = 400;
const WARM_UP_CALLS = 4 * 16;
const IDEAL = CONCURRENCY / (LATENCY_MS / 1000);
const SYSTEM = 'Inputs you receive:\n- `question`: a question\n\nOutputs you write:\n- `answer`: the answer\n';

interface Measured {
  ratio: number;
  wallS: number;
  warmUpMs: number;
  latencies: number[];
}

/** The call's wall time as the client reports it (retries included; none here). */
async function latencyOf(lm: LanguageModel, chat: ChatRequest): Promise<number> {
  let latencyMs = 0;
  await lm.generate(chat, { onCallInfo: (info) => (latencyMs = info.latencyMs) });
  return latencyMs;
}

export async function run(): Promise<BenchResult> {
  const stub = await startStubServer({ latencyMs: LATENCY_MS });
  try {
    const lm = new OpenAICompatibleLM({ baseUrl: stub.baseUrl, model: 'stub-model', maxConcurrency: CONCURRENCY, maxRetries: 0 });
    const main = await measure((i) => latencyOf(lm, request(i)), () => stub.resetStats());
    const stats = await stub.stats();

    const viaFetch = new OpenAICompatibleLM({
      baseUrl: stub.baseUrl,
      model: 'stub-model',
      maxConcurrency: CONCURRENCY,
      maxRetries: 0,
      fetch: (input, init) => fetch(input, init),
    });
    const fetchRun = await measure((i) => latencyOf(viaFetch, request(i)));
    const bare = await measure(barePool(`${stub.baseUrl}/chat/completions`), undefined, true);

    return {
      name: 'saturation',
      rows: [
        atLeast('throughput / ideal', main.ratio, 'ratio', 0.95),
        info('throughput', CALLS / main.wallS, 'calls/s'),
        info('ideal throughput', IDEAL, 'calls/s'),
        info('wall time', main.wallS, 's'),
        info('ideal wall time', CALLS / IDEAL, 's'),
        info('latency p50', percentile(main.latencies, 50), 'ms'),
        info('latency p99', percentile(main.latencies, 99), 'ms'),
        info('server max in-flight', stats.maxInFlight, 'requests'),
        info('connections opened (measured window)', stats.connections, 'connections'),
        info(`warm-up (${WARM_UP_CALLS} calls from cold)`, main.warmUpMs, 'ms'),
        info('ceiling: bare node:http pool / ideal', bare.ratio, 'ratio'),
        info('same client over global fetch / ideal', fetchRun.ratio, 'ratio'),
      ],
      notes: [
        `${CALLS} calls, maxConcurrency ${CONCURRENCY}, stub latency ${LATENCY_MS} ms, Node ${process.version}, default node:http keep-alive transport`,
      ],
    };
  } finally {
    await stub.stop();
  }
}

function request(i: number) {
  return {
    messages: [
      { role: 'system' as const, content: SYSTEM },
      { role: 'user' as const, content: `[[ ## question ## ]]\nWhat is ${i} + 1?` },
    ],
  };
}

/** Warm-up calls, then CALLS calls; `pooled` runs CONCURRENCY workers itself (no limiter). */
async function measure(call: (i: number) => Promise<number>, afterWarmUp?: () => Promise<void>, pooled = false): Promise<Measured> {
  const warmStarted = performance.now();
  await Promise.all(Array.from({ length: WARM_UP_CALLS }, (_, i) => call(-1 - i)));
  const warmUpMs = performance.now() - warmStarted;
  await afterWarmUp?.();
  const latencies: number[] = [];
  const started = performance.now();
  if (pooled) {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) latencies.push(await call(next++));
      }),
    );
  } else {
    await Promise.all(Array.from({ length: CALLS }, async (_, i) => latencies.push(await call(i))));
  }
  const wallS = (performance.now() - started) / 1000;
  return { ratio: CALLS / wallS / IDEAL, wallS, warmUpMs, latencies };
}

/** The least a client can do: POST over a keep-alive agent and read the body. */
function barePool(url: string): (i: number) => Promise<number> {
  const agent = new http.Agent({ keepAlive: true });
  return (i) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - started));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'stub-model', ...request(i) }));
    });
}
