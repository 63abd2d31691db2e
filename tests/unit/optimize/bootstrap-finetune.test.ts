import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FinetuneError, PAPER_HYPERPARAMS, type FinetuneJob, type FinetuneResult, type Finetuner } from '../../../core/finetune/finetuner.ts';
import { bootstrapFinetune } from '../../../core/optimize/bootstrap-finetune.ts';
import type { OptimizerContext } from '../../../core/optimize/optimizer-context.ts';
import type { Metric } from '../../../core/evaluate/metric.ts';
import { DoubleProgram, doublingLM, envFor, exactY, numbers } from '../../helpers/toy-program.ts';

/** Records jobs and "trains" instantly; a unit-test stand-in for the engine's trainer. */
class RecordingFinetuner implements Finetuner {
  readonly name = 'recording';
  jobs: FinetuneJob[] = [];
  constructor(private readonly fail = false) {}
  async attach(name: string, _dir: string, base: FinetuneJob["base"]) {
    return { ...base, model: name, baseModel: base.model };
  }
  async finetune(job: FinetuneJob): Promise<FinetuneResult> {
    this.jobs.push(job);
    if (this.fail) throw new FinetuneError('trainer crashed: out of memory');
    return { adapterDir: job.outDir, binding: { ...job.base, model: job.adapterName, baseModel: job.base.model }, trainRows: 0, skipped: {}, seconds: 0, losses: [] };
  }
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bft-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = { provider: 'openai' as const, model: 'base-model', baseUrl: 'http://127.0.0.1:1/v1' };

function options(finetuner: Finetuner) {
  return { finetuner, hyperparams: PAPER_HYPERPARAMS, workDir: dir, adapterPrefix: 'run1-w1', defaultBinding: base, seed: 3 };
}

function context(): OptimizerContext {
  let next = 1;
  return { env: envFor(doublingLM()), metric: exactY, concurrency: 4, recordTraces: (traces) => traces.map(() => next++) };
}

describe('bootstrapFinetune', () => {
  it('trains one pooled adapter on zero-shot rows from passing traces and rebinds the modules', async () => {
    const student = new DoubleProgram();
    student.double.demos = [{ fields: { x: 100, y: 200 }, augmented: false, exampleId: 'd' }];
    const finetuner = new RecordingFinetuner();
    const outcome = await bootstrapFinetune(student, numbers(12), options(finetuner), context());
    expect(outcome.status).toBe('trained');
    // With one demo the toy LM fails multiples of 3: 0, 3, 6, 9 of 0..11.
    expect(outcome.passingTraces).toBe(8);
    expect(finetuner.jobs).toHaveLength(1);
    const job = finetuner.jobs[0]!;
    expect(job.base).toEqual(base);
    expect(job.adapterName).toBe('run1-w1');
    const rows = readFileSync(job.trainFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']); // zero-shot: no demos
    }
    const provenance = readFileSync(path.join(path.dirname(job.trainFile), 'provenance.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(provenance).toHaveLength(8);
    expect(provenance.every((p: { traceId: number; predictor: string }) => typeof p.traceId === 'number' && p.predictor === 'double')).toBe(true);
    expect(outcome.program.double.lm).toEqual({ ...base, model: 'run1-w1', baseModel: 'base-model' });
    expect(outcome.program.double.demos).toHaveLength(1); // prompts are untouched by Θ
    expect(student.double.lm).toBeNull(); // the input program is not modified
  });

  it('keeps demos in the training prompt when asked', async () => {
    const student = new DoubleProgram();
    student.double.demos = [{ fields: { x: 100, y: 200 }, augmented: false, exampleId: 'd' }];
    const finetuner = new RecordingFinetuner();
    await bootstrapFinetune(student, numbers(4), { ...options(finetuner), keepDemos: true }, context());
    const row = JSON.parse(readFileSync(finetuner.jobs[0]!.trainFile, 'utf8').split('\n')[0]!);
    expect(row.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant']);
  });

  it('holds out validation rows when asked', async () => {
    const finetuner = new RecordingFinetuner();
    await bootstrapFinetune(new DoubleProgram(), numbers(30), { ...options(finetuner), validFraction: 0.25 }, context());
    const job = finetuner.jobs[0]!;
    const count = (f: string) => readFileSync(f, 'utf8').trim().split('\n').length;
    expect(count(job.validFile!)).toBe(5); // 20 passing (multiples of 3 fail zero-shot), a quarter held out
    expect(count(job.trainFile)).toBe(15);
  });

  it('reports "no passing traces" as an outcome and trains nothing', async () => {
    const never: Metric = { name: 'never', score: () => 0 };
    const finetuner = new RecordingFinetuner();
    const outcome = await bootstrapFinetune(new DoubleProgram(), numbers(5), options(finetuner), { ...context(), metric: never });
    expect(outcome).toMatchObject({ status: 'no-passing-traces', passingTraces: 0, tracesRun: 5 });
    expect(finetuner.jobs).toHaveLength(0);
    expect(outcome.program.double.lm).toBeNull();
  });

  it('never swaps in a model that did not train', async () => {
    const student = new DoubleProgram();
    await expect(bootstrapFinetune(student, numbers(6), options(new RecordingFinetuner(true)), context())).rejects.toThrow(/out of memory/);
    expect(student.double.lm).toBeNull();
  });

  it('trains a module already on an adapter afresh from its base model', async () => {
    const student = new DoubleProgram();
    student.double.lm = { ...base, model: 'run1-w1', baseModel: 'base-model' };
    const finetuner = new RecordingFinetuner();
    const outcome = await bootstrapFinetune(student, numbers(6), { ...options(finetuner), adapterPrefix: 'run1-w2' }, context());
    expect(finetuner.jobs[0]!.base.model).toBe('base-model');
    expect(outcome.program.double.lm?.model).toBe('run1-w2');
  });
});
