// Store benchmark: how fast traces with their LM calls are saved, and how fast the LM-call
// browser answers on a workspace holding 1,000,000 calls (newest pages, deep cursor pages,
// filters, full-text search for common and rare words).
//
// The 1M-call database is generated once (seeded, realistic chat-adapter prompts over a Zipf
// vocabulary) and kept under bench/results/.cache/, keyed by DATA_VERSION and the schema
// version, so later runs only measure queries. Delete the file to rebuild it.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ChatMessage } from '../core/contract/views/program.ts';
import type { PredictorCall, ProgramTrace } from '../core/program/trace.ts';
import { latestVersion, openStore, type LMCallPageQuery, type Store } from '../core/store/index.ts';
import { encodeCursor } from '../core/store/lm-call-query.ts';
import { Rng } from '../core/util/random.ts';
import { RESULTS_DIR, atLeast, atMost, finishBenchDatabase, info, percentile, type BenchResult, type BenchRow } from './lib.ts';

const DATA_VERSION = 2;
/** STORE_BENCH_CALLS overrides the size (for a quick try; the goals are meant for 1M). */
const TOTAL_CALLS = Number(process.env.STORE_BENCH_CALLS ?? 1_000_000);
const QUERIES = 200;
const P95_GOAL_MS = 50;

// ---------------------------------------------------------------------------------------------
// Realistic text: chat-adapter prompts (system message with fields and instructions, demos as
// user/assistant turns, the inputs) and completions with reasoning, over a vocabulary of common
// English words plus 60,000 made-up names drawn with Zipf frequencies, so some words are in
// nearly every call and others in a handful.

const COMMON = `the of and to in a is that for it as was with be by on not he this are or his from at which but have an
they you were her she there been one all we their has would when if so no will more can out up into do any who some
time could them only other new than then also first about after over such two most these many where through made
year years between people because after before place found three number called long name city river state team
country world during under part around game known area later season began second film album town group war family`.split(/\s+/);

const TOPIC = `answer question reasoning step total number price each people days hours miles cost apples students
friends books money sold bought left remaining twice half percent weekly monthly garden farm school store tickets
passage context evidence claim title article born directed founded located capital author novel band song released`.split(/\s+/);

const SYLLABLES = 'ka ri mo ta le vin dor sa el ar en tho mi ra gul bes ny qua zet ro li fa um ik os ve ban cor del'.split(' ');

function makeNames(count: number, rng: Rng): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const parts = rng.int(2, 4);
    let name = '';
    for (let i = 0; i < parts; i++) name += SYLLABLES[rng.int(0, SYLLABLES.length - 1)]!;
    names.add(name[0]!.toUpperCase() + name.slice(1));
  }
  return [...names];
}

class TextGen {
  readonly names: string[];
  constructor(private readonly rng: Rng) {
    this.names = makeNames(60_000, rng);
  }
  /** Rank drawn log-uniformly, i.e. Zipf with s = 1. */
  private zipf<T>(items: readonly T[]): T {
    const rank = Math.floor(Math.exp(this.rng.next() * Math.log(items.length + 1))) - 1;
    return items[Math.min(rank, items.length - 1)]!;
  }
  word(): string {
    const u = this.rng.next();
    if (u < 0.55) return this.zipf(COMMON);
    if (u < 0.75) return this.zipf(TOPIC);
    if (u < 0.9) return this.zipf(this.names);
    return String(this.rng.int(1, 2000));
  }
  sentence(min: number, max: number): string {
    const n = this.rng.int(min, max);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(this.word());
    const s = words.join(' ');
    return s[0]!.toUpperCase() + s.slice(1) + '.';
  }
  paragraph(sentences: number): string {
    const out: string[] = [];
    for (let i = 0; i < sentences; i++) out.push(this.sentence(8, 16));
    return out.join(' ');
  }
  pick<T>(items: readonly T[]): T {
    return items[this.rng.int(0, items.length - 1)]!;
  }
}

interface PredictorSpec {
  name: string;
  inputs: string[];
  outputs: string[];
  instructions: string[];
}

const PROGRAMS: Record<string, PredictorSpec[]> = {
  gsm8k: [{ name: 'generate_answer', inputs: ['question'], outputs: ['reasoning', 'answer'], instructions: ['Solve the grade-school math word problem. Think step by step and give the final number as the answer.', 'Given a math question, reason through each step carefully, then state only the final numeric answer.'] }],
  hotpotqa: [
    { name: 'generate_query[0]', inputs: ['context', 'question'], outputs: ['reasoning', 'query'], instructions: ['Write a search query that finds the missing fact needed to answer the multi-hop question.'] },
    { name: 'generate_query[1]', inputs: ['context', 'question'], outputs: ['reasoning', 'query'], instructions: ['Given the passages found so far, write the next search query for the second hop.'] },
    { name: 'generate_answer', inputs: ['context', 'question'], outputs: ['reasoning', 'answer'], instructions: ['Answer the question with a short factoid using the retrieved passages as evidence.'] },
  ],
  iris: [{ name: 'predict', inputs: ['petal_length', 'petal_width', 'sepal_length', 'sepal_width'], outputs: ['reasoning', 'species'], instructions: ['Classify the iris flower into setosa, versicolor or virginica from its measurements.'] }],
  summarize: [{ name: 'summarize', inputs: ['document'], outputs: ['summary'], instructions: ['Summarize the document in two sentences for a busy reader.'] }],
};

function systemPrompt(spec: PredictorSpec, instructions: string): string {
  const fields = (names: string[]) => names.map((n, i) => `${i + 1}. \`${n}\` (str): the ${n.replace('_', ' ')}`).join('\n');
  return [
    `Your input fields are:\n${fields(spec.inputs)}`,
    `Your output fields are:\n${fields(spec.outputs)}`,
    'All interactions will be structured in the following way, with the appropriate values filled in.',
    ...spec.inputs.map((n) => `[[ ## ${n} ## ]]\n{${n}}`),
    ...spec.outputs.map((n) => `[[ ## ${n} ## ]]\n{${n}}`),
    '[[ ## completed ## ]]',
    `In adhering to this structure, your objective is: ${instructions}`,
  ].join('\n\n');
}

function inputValue(field: string, text: TextGen, rng: Rng): string {
  if (field === 'context') return [1, 2, 3].map((i) => `[${i}] «${text.pick(text.names)} | ${text.paragraph(2)}»`).join('\n');
  if (field === 'document') return text.paragraph(5);
  if (field.includes('_')) return (rng.int(10, 80) / 10).toFixed(1);
  return `${text.sentence(12, 24).slice(0, -1)}?`;
}

function userTurn(spec: PredictorSpec, inputs: Record<string, string>): string {
  return [
    ...spec.inputs.map((n) => `[[ ## ${n} ## ]]\n${inputs[n]}`),
    `Respond with the corresponding output fields, starting with the field ${spec.outputs.map((o) => `\`[[ ## ${o} ## ]]\``).join(', then ')}, and then ending with the marker for \`[[ ## completed ## ]]\`.`,
  ].join('\n\n');
}

function completionText(spec: PredictorSpec, text: TextGen, rng: Rng): { completion: string; outputs: Record<string, string> } {
  const outputs: Record<string, string> = {};
  for (const o of spec.outputs) outputs[o] = o === 'reasoning' ? text.paragraph(rng.int(1, 3)) : o === 'species' ? text.pick(['setosa', 'versicolor', 'virginica']) : text.sentence(2, 8);
  const completion = spec.outputs.map((o) => `[[ ## ${o} ## ]]\n${outputs[o]}`).join('\n\n') + '\n\n[[ ## completed ## ]]';
  return { completion, outputs };
}

/** Generates traces of one program: 1 call for single-predictor programs, 2 for hotpotqa (two of its predictors). */
class TraceGen {
  private readonly text: TextGen;
  private readonly systems = new Map<string, string>();
  constructor(private readonly rng: Rng) {
    this.text = new TextGen(rng);
  }

  call(spec: PredictorSpec, variant: number, model: string, demos: ChatMessage[], now: number): PredictorCall {
    const key = `${spec.name}#${variant}`;
    let system = this.systems.get(key);
    if (!system) {
      system = systemPrompt(spec, spec.instructions[variant % spec.instructions.length]! + (variant > 1 ? ` ${this.text.sentence(6, 12)}` : ''));
      this.systems.set(key, system);
    }
    const inputs: Record<string, string> = {};
    for (const f of spec.inputs) inputs[f] = inputValue(f, this.text, this.rng);
    const { completion, outputs } = completionText(spec, this.text, this.rng);
    const messages: ChatMessage[] = [{ role: 'system', content: system }, ...demos, { role: 'user', content: userTurn(spec, inputs) }];
    const u = this.rng.next();
    const error = u < 0.012 ? { kind: 'parse', message: `could not find field header [[ ## ${spec.outputs.at(-1)} ## ]] in the completion` } : u < 0.017 ? { kind: 'lm:timeout', message: 'request timed out after 60000 ms' } : u < 0.02 ? { kind: 'lm:server', message: 'HTTP 503 from http://127.0.0.1:8000/v1: model is loading' } : null;
    const lmFailed = error !== null && error.kind !== 'parse';
    const cached = !lmFailed && this.rng.next() < 0.15;
    const promptTokens = Math.round(messages.reduce((n, m) => n + m.content.length, 0) / 4);
    return {
      predictor: spec.name,
      inputs,
      messages,
      request: { model: 'llama-3.2-1b-instruct', temperature: 0.1, maxTokens: 1024, seed: this.rng.int(0, 0x7fffffff) },
      completion: lmFailed ? null : completion,
      outputs: error ? null : outputs,
      parseFallback: !error && this.rng.next() < 0.03 ? 'json' : null,
      model,
      usage: { promptTokens, completionTokens: lmFailed ? 0 : Math.round(completion.length / 4) },
      latencyMs: cached ? 0 : Math.round((200 + this.rng.next() * this.rng.next() * 6000) * 10) / 10,
      cached,
      attempts: lmFailed ? 3 : 1,
      error,
      startedAt: now,
    };
  }

  demos(spec: PredictorSpec, count: number): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (let i = 0; i < count; i++) {
      const inputs: Record<string, string> = {};
      for (const f of spec.inputs) inputs[f] = f === 'context' ? this.text.paragraph(1) : inputValue(f, this.text, this.rng);
      out.push({ role: 'user', content: userTurn(spec, inputs) }, { role: 'assistant', content: completionText(spec, this.text, this.rng).completion });
    }
    return out;
  }

  trace(program: string, variant: number, model: string, demos: Map<string, ChatMessage[]>, exampleIndex: number, now: number): ProgramTrace {
    const specs = PROGRAMS[program]!;
    const chosen = specs.length > 1 ? [specs[this.rng.int(0, 1)]!, specs[2]!] : specs;
    const calls = chosen.map((spec) => this.call(spec, variant, model, demos.get(spec.name) ?? [], now));
    const failed = calls.find((c) => c.error);
    return {
      exampleId: `${program}-${String(exampleIndex).padStart(5, '0')}`,
      inputs: calls[0]!.inputs,
      calls,
      prediction: failed ? null : calls.at(-1)!.outputs,
      error: failed?.error ?? null,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Building the 1M-call database.

interface RunPlan {
  program: string;
  baseModel: string;
}

function planRuns(): RunPlan[] {
  const runs: RunPlan[] = [];
  for (let i = 0; i < 100; i++) {
    const program = i === 7 ? 'summarize' : (['gsm8k', 'hotpotqa', 'iris'] as const)[i % 3]!;
    runs.push({ program, baseModel: i === 42 ? 'qwen2.5-0.5b-instruct' : 'llama-3.2-1b-instruct' });
  }
  return runs;
}

function buildDatabase(file: string): void {
  const started = performance.now();
  const tmp = `${file}.building`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  const store = openStore(tmp, { now: () => 1_750_000_000_000 });
  const rng = new Rng(20240601);
  const gen = new TraceGen(rng);
  const runs = planRuns();
  const perRun = Math.ceil(TOTAL_CALLS / runs.length);
  let total = 0;
  let clock = 1_750_000_000_000;
  for (const [r, plan] of runs.entries()) {
    const experimentId = store.experiments.create({ name: `${plan.program} sweep ${Math.floor(r / 10)}`, task: plan.program, config: { strategies: ['p', 'w', 'p -> w'] } });
    const runId = store.runs.create({ experimentId, strategy: 'p -> w -> p', seed: r, lm: { provider: 'openai-compatible', model: plan.baseModel } });
    let runCalls = 0;
    let stageIndex = 0;
    while (runCalls < perRun && total < TOTAL_CALLS) {
      const kind = stageIndex === 0 ? 'baseline' : stageIndex % 2 === 1 ? 'p' : 'w';
      const stageId = store.stages.create({ runId, parentStageId: null, kind, prefix: kind });
      const model = stageIndex >= 2 ? `${plan.baseModel}:ft-run${r}-s${stageIndex}` : plan.baseModel;
      const demos = new Map<string, ChatMessage[]>();
      for (const spec of PROGRAMS[plan.program]!) demos.set(spec.name, gen.demos(spec, kind === 'baseline' ? 0 : rng.int(0, 2)));
      // A stage: a few batches of traces (an evaluation or a bootstrap round each).
      for (let batch = 0; batch < 4 && runCalls < perRun; batch++) {
        const traces: ProgramTrace[] = [];
        let batchCalls = 0;
        while (batchCalls < 700 && runCalls + batchCalls < perRun) {
          const trace = gen.trace(plan.program, stageIndex, model, demos, traces.length, clock++);
          traces.push(trace);
          batchCalls += trace.calls.length;
        }
        store.traces.saveMany({ runId, stageId, purpose: batch === 0 ? 'eval' : 'bootstrap' }, traces);
        runCalls += batchCalls;
        total += batchCalls;
      }
      stageIndex++;
    }
    store.runs.finish(runId, { best: 'p -> w' });
    if ((r + 1) % 10 === 0) {
      const secs = (performance.now() - started) / 1000;
      process.stderr.write(`[store bench] building the ${TOTAL_CALLS.toLocaleString('en')}-call database: ${total.toLocaleString('en')} calls after ${secs.toFixed(0)} s\n`);
    }
  }
  store.close();
  finishBenchDatabase(tmp, file);
  process.stderr.write(`[store bench] built ${file} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

// ---------------------------------------------------------------------------------------------
// Measurements.

function insertThroughput(): BenchRow[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-store-bench-'));
  try {
    const store = openStore(path.join(dir, 'insert.db'));
    const gen = new TraceGen(new Rng(7));
    const experimentId = store.experiments.create({ name: 'insert', task: 'hotpotqa' });
    const runId = store.runs.create({ experimentId, strategy: 'p', seed: 0, lm: {} });
    const stageId = store.stages.create({ runId, kind: 'p', prefix: 'p' });
    const demos = new Map<string, ChatMessage[]>([['generate_answer', gen.demos(PROGRAMS.hotpotqa![2]!, 1)]]);
    // hotpotqa traces: 2 calls each; a batch of 100 traces is one evaluation's worth.
    const batches = Array.from({ length: 60 }, (_, b) => Array.from({ length: 100 }, (_, i) => gen.trace('hotpotqa', 0, 'llama-3.2-1b-instruct', demos, b * 100 + i, Date.now())));
    const traces = batches.flat();
    const calls = traces.reduce((n, t) => n + t.calls.length, 0);
    const bytes = traces.reduce((n, t) => n + t.calls.reduce((m, c) => m + JSON.stringify(c.messages).length, 0), 0);
    const t0 = performance.now();
    for (const batch of batches) store.traces.saveMany({ runId, stageId, purpose: 'eval' }, batch);
    const secs = (performance.now() - t0) / 1000;
    store.close();
    return [
      info('insert: avg messages size per LM call', Math.round(bytes / calls), 'bytes'),
      info('insert: traces saved per second (2 calls each, batches of 100)', Math.round(traces.length / secs), 'traces/s'),
      atLeast('insert: LM calls saved per second', Math.round(calls / secs), 'calls/s', 2000),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timeQueries(queries: Array<() => unknown>): number[] {
  for (const q of queries.slice(0, 10)) q(); // warm the page cache and the statement cache
  return queries.map((q) => {
    const t0 = performance.now();
    q();
    return performance.now() - t0;
  });
}

function p95Row(metric: string, store: Store, make: (i: number) => LMCallPageQuery, goal = true): BenchRow {
  const times = timeQueries(Array.from({ length: QUERIES }, (_, i) => () => store.lmCalls.page(make(i))));
  const p95 = Math.round(percentile(times, 95) * 100) / 100;
  return goal ? atMost(`${metric} (p95)`, p95, 'ms', P95_GOAL_MS) : info(`${metric} (p95)`, p95, 'ms');
}

interface VocabWord {
  term: string;
  doc: number;
}

/** Words of the FTS index with document counts in [min, max], spread over the range. */
function wordsWithFrequency(file: string, min: number, max: number, count: number): VocabWord[] {
  const db = new Database(file, { readonly: true });
  try {
    db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'lm_calls_fts', 'row')");
    const rows = db.prepare('SELECT term, doc FROM temp.vocab WHERE doc BETWEEN ? AND ? AND term GLOB \'[a-z]*\' ORDER BY doc DESC').all(min, max) as VocabWord[];
    const step = Math.max(1, Math.floor(rows.length / count));
    return rows.filter((_, i) => i % step === 0).slice(0, count);
  } finally {
    db.close();
  }
}

function sampleMessageBytes(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const stmt = db.prepare('SELECT avg(length(messages)) FROM lm_call_bodies WHERE call_id BETWEEN ? AND ?').pluck();
    const samples = [0.1, 0.3, 0.5, 0.7, 0.9].map((at) => stmt.get(Math.floor(at * TOTAL_CALLS), Math.floor(at * TOTAL_CALLS) + 2000) as number);
    return Math.round(samples.reduce((a, b) => a + b, 0) / samples.length);
  } finally {
    db.close();
  }
}

export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = insertThroughput();

  const cacheDir = path.join(RESULTS_DIR, '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `store-${TOTAL_CALLS}-data${DATA_VERSION}-schema${latestVersion()}.db`);
  if (!existsSync(file)) {
    // Older versions of this database are stale: make room for the new one.
    const prefix = `store-${TOTAL_CALLS}-`;
    for (const old of readdirSync(cacheDir)) if (old.startsWith(prefix) && !old.startsWith(path.basename(file))) rmSync(path.join(cacheDir, old), { force: true });
    buildDatabase(file);
  }
  rows.push(info('database: avg messages size per LM call (sampled)', sampleMessageBytes(file), 'bytes'));

  const store = openStore(file);
  try {
    const calls = store.lmCalls.count();
    rows.push(info('database: LM calls stored', calls, 'calls'));
    const maxId = store.lmCalls.page({ limit: 1 }).rows[0]?.id ?? 0;
    const rng = new Rng(99);
    const runs = store.runs.list();

    rows.push(p95Row('page newest 50, first page', store, () => ({ sort: 'newest', limit: 50 })));
    rows.push(p95Row('page newest 50, deep cursor page', store, () => ({ sort: 'newest', limit: 50, cursor: encodeCursor('newest', { id: rng.int(1000, maxId), latency_ms: 0, total_tokens: 0 }) })));
    rows.push(p95Row('page newest 50 in one run', store, (i) => ({ runId: runs[i % runs.length]!.id, limit: 50 }), false));
    const predictors = ['generate_answer', 'generate_query[0]', 'generate_query[1]', 'predict', 'summarize'];
    rows.push(p95Row('filter by predictor (incl. a 1% one), first page', store, (i) => ({ predictor: predictors[i % predictors.length]!, limit: 50 })));
    rows.push(p95Row('filter hasError, first page', store, () => ({ hasError: true, limit: 50 })));
    rows.push(p95Row('filter cached, first page', store, () => ({ cached: true, limit: 50 }), false));
    rows.push(p95Row('filter hasError, deep cursor page', store, () => ({ hasError: true, limit: 50, cursor: encodeCursor('newest', { id: rng.int(1000, maxId), latency_ms: 0, total_tokens: 0 }) })));
    const models = ['llama-3.2-1b-instruct', 'qwen2.5-0.5b-instruct', 'llama-3.2-1b-instruct:ft-run3-s2'];
    rows.push(p95Row('filter by model (common, 1%, 0.1%), first page', store, (i) => ({ model: models[i % models.length]!, limit: 50 })));
    rows.push(p95Row('filter run + predictor + hasError', store, (i) => ({ runId: runs[i % runs.length]!.id, predictor: 'generate_answer', hasError: true, limit: 50 }), false));

    const buckets: Array<[string, number, number]> = [
      ['search common word (df >= 10%)', 100_000, TOTAL_CALLS * 2],
      ['search mid-frequency word (df 0.1%-1%)', 1_000, 10_000],
      ['search rare word (df 5-100)', 5, 100],
    ];
    for (const [label, min, max] of buckets) {
      const words = wordsWithFrequency(file, min, max, 50);
      if (words.length === 0) continue;
      rows.push(p95Row(`${label}, first page`, store, (i) => ({ search: words[i % words.length]!.term, limit: 50 })));
    }
    const common = wordsWithFrequency(file, 100_000, TOTAL_CALLS * 2, 10);
    rows.push(p95Row('search common word, deep cursor page', store, (i) => ({ search: common[i % common.length]!.term, limit: 50, cursor: encodeCursor('newest', { id: rng.int(1000, maxId), latency_ms: 0, total_tokens: 0 }) })));
    const rare = wordsWithFrequency(file, 5, 100, 10);
    rows.push(p95Row('search two words (common + rare)', store, (i) => ({ search: `${common[i % common.length]!.term} ${rare[i % rare.length]!.term}`, limit: 50 }), false));
    rows.push(p95Row('search phrase, first page', store, () => ({ search: '"the final number"', limit: 50 }), false));
    rows.push(p95Row('search common word in one run', store, (i) => ({ runId: runs[i % runs.length]!.id, search: common[i % common.length]!.term, limit: 50 })));
    rows.push(p95Row('search common word + 1% predictor', store, (i) => ({ predictor: 'summarize', search: common[i % common.length]!.term, limit: 50 }), false));
    rows.push(p95Row('sort by latency in one run', store, (i) => ({ runId: runs[i % runs.length]!.id, sort: 'latency', limit: 50 }), false));
    rows.push(p95Row('sort by tokens, all calls', store, () => ({ sort: 'tokens', limit: 50 }), false));

    const statsTimes = timeQueries(runs.slice(0, 50).map((r) => () => store.lmCalls.stats({ runId: r.id })));
    rows.push(info('stats for one run (~10k calls) (p95)', Math.round(percentile(statsTimes, 95) * 100) / 100, 'ms'));
  } finally {
    const t0 = performance.now();
    store.close();
    rows.push(info('close (runs PRAGMA optimize)', Math.round(performance.now() - t0), 'ms'));
  }
  return {
    name: 'store',
    rows,
    notes: [
      `database: ${TOTAL_CALLS.toLocaleString('en')} LM calls in 100 runs (cached at ${path.relative(process.cwd(), file)}); ${QUERIES} queries per row after 10 warm-up queries`,
      'page queries never count totals; pass withTotal or call lmCalls.count(filter) when a total is needed',
    ],
  };
}
