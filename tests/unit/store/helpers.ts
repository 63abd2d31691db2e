// Store tests run on real SQLite files in a temp folder; these helpers make the folder, open a
// store with a fake clock, and build traces with LM calls.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PredictorCall, ProgramTrace } from '../../../core/program/trace.ts';
import type { ProgramState } from '../../../core/contract/views/program.ts';
import { openStore, type Store } from '../../../core/store/index.ts';

export interface TempStore {
  dir: string;
  file: string;
  store: Store;
  /** A second, plain connection for checking what is really in the file. */
  count(table: string): number;
  cleanup(): void;
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempStore(): TempStore {
  const { dir, cleanup } = tempDir();
  const file = path.join(dir, 'workspace', 'tandem.db');
  let t = 1_700_000_000_000;
  const store = openStore(file, { now: () => t++ });
  return {
    dir,
    file,
    store,
    count(table) {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    cleanup() {
      store.close();
      cleanup();
    },
  };
}

export function makeCall(overrides: Partial<PredictorCall> = {}): PredictorCall {
  const question = overrides.inputs?.question ?? 'What is 2 + 2?';
  return {
    predictor: 'generate_answer',
    inputs: { question },
    messages: [
      { role: 'system', content: 'Your input fields are:\n1. `question` (str)\nYour output fields are:\n1. `answer` (str)' },
      { role: 'user', content: `[[ ## question ## ]]\n${String(question)}` },
    ],
    request: { model: 'llama-3.2-1b-instruct', temperature: 0.1, maxTokens: 1024, seed: 123_456 },
    completion: '[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]',
    outputs: { answer: '4' },
    parseFallback: null,
    model: 'llama-3.2-1b-instruct',
    usage: { promptTokens: 40, completionTokens: 8 },
    latencyMs: 120,
    cached: false,
    attempts: 1,
    error: null,
    startedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function makeTrace(calls: PredictorCall[] = [makeCall()], overrides: Partial<ProgramTrace> = {}): ProgramTrace {
  const failed = calls.find((c) => c.error);
  return {
    exampleId: 'ex-1',
    inputs: calls[0]?.inputs ?? {},
    calls,
    prediction: failed ? null : (calls.at(-1)?.outputs ?? null),
    error: failed?.error ?? null,
    ...overrides,
  };
}

export const sampleState: ProgramState = {
  version: 1,
  predictors: {
    generate_answer: {
      signature: { instructions: 'Answer the question.', inputs: [{ name: 'question', description: 'a question' }], outputs: [{ name: 'answer', description: 'the answer' }] },
      demos: [{ fields: { question: '1 + 1?', answer: '2' }, augmented: false, exampleId: 'ex-9' }],
      lm: null,
    },
  },
};

/** An experiment with one run and one running stage. */
export function seedRun(store: Store): { experimentId: number; runId: number; stageId: number } {
  const experimentId = store.experiments.create({ name: 'gsm8k sweep', task: 'gsm8k', config: { strategies: ['p'] } });
  const runId = store.runs.create({ experimentId, strategy: 'p', seed: 0, lm: { provider: 'openai-compatible', model: 'llama-3.2-1b-instruct' } });
  const stageId = store.stages.create({ runId, parentStageId: null, kind: 'p', prefix: 'p' });
  return { experimentId, runId, stageId };
}
