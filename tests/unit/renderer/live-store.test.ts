import { describe, expect, it } from 'vitest';
import type { RunProgressEvent } from '../../../renderer/src/api/types.ts';
import { applyRunEvent, stageFraction, type RunLive, type StageLive } from '../../../renderer/src/views/run/live-store.ts';

function newRun(): RunLive {
  return { stages: new Map(), logs: new Map(), counters: null, warnings: [], total: null, running: [], ended: false };
}

const KINDS = [
  { token: 'p', name: 'prompt optimization (Π)', needsFinetuner: false, firstActivity: 'starting random search' },
  { token: 'w', name: 'weight fine-tuning (Θ)', needsFinetuner: true, firstActivity: 'collecting traces on the train set' },
];

function start(run: RunLive, stageId: number, kind: string, index = 0, seed = 0): StageLive {
  applyRunEvent(run, { type: 'stage-start', runId: 1, stageId, kind, prefix: kind === 'baseline' ? '' : kind, seed, index, total: 6, done: 0 }, KINDS);
  return run.stages.get(stageId)!;
}

const apply = (run: RunLive, ...events: RunProgressEvent[]) => events.forEach((e) => applyRunEvent(run, e));

describe('applyRunEvent', () => {
  it('starts and ends stages, tracking the running one and the planned total', () => {
    const run = newRun();
    const s = start(run, 11, 'w');
    expect(run.total).toBe(6);
    expect(run.running).toEqual([11]);
    expect(s).toMatchObject({ stageId: 11, kind: 'w', ended: false, activity: 'collecting traces on the train set', evals: {}, losses: [] });
    // an end for another stage leaves the running one alone
    apply(run, { type: 'stage-end', runId: 1, stageId: 99, kind: 'p', prefix: 'p', seed: 0, scores: {}, done: 1 });
    expect(run.running).toEqual([11]);
    apply(run, { type: 'stage-end', runId: 1, stageId: 11, kind: 'w', prefix: 'w', seed: 0, scores: {}, outcome: 'no-passing-traces', done: 2 });
    expect(run.running).toEqual([]);
    expect(s.ended).toBe(true);
    expect(s.activity).toBe('no passing traces');
  });

  it('words a stage\'s start as its step kind says, else "starting"', () => {
    const run = newRun();
    const trainer = { token: 'tune', name: 'another trainer', needsFinetuner: true, firstActivity: 'tokenizing the rows' };
    applyRunEvent(run, { type: 'stage-start', runId: 1, stageId: 5, kind: 'tune', prefix: 'tune', seed: 0, index: 0, total: 2, done: 0 }, [...KINDS, trainer]);
    expect(run.stages.get(5)!.activity).toBe('tokenizing the rows');
    applyRunEvent(run, { type: 'stage-start', runId: 1, stageId: 8, kind: 'w', prefix: 'p -> w', seed: 0, index: 0, total: 2, done: 0 }, KINDS);
    expect(run.stages.get(8)!.activity).toBe('collecting traces on the train set');
    expect(start(run, 6, 'l').activity).toBe('starting'); // a kind that says nothing
    // before the backend listed its kinds, nothing is assumed
    applyRunEvent(run, { type: 'stage-start', runId: 1, stageId: 7, kind: 'w', prefix: 'w', seed: 1, index: 0, total: 2, done: 0 });
    expect(run.stages.get(7)!.activity).toBe('starting');
  });

  it('tracks one running stage per seed when seeds run at once', () => {
    const run = newRun();
    start(run, 1, 'baseline', 1, 0);
    start(run, 2, 'baseline', 8, 1);
    start(run, 3, 'p', 2, 0); // seed 0 moved on; its baseline is no longer running
    expect(run.running).toEqual([2, 3]);
    apply(run, { type: 'stage-end', runId: 1, stageId: 2, kind: 'baseline', prefix: '', seed: 1, scores: {}, done: 2 });
    expect(run.running).toEqual([3]);
  });

  it('follows a random search: candidates, their validation, the best score, bootstrapping', () => {
    const run = newRun();
    const s = start(run, 2, 'p');
    apply(run, { type: 'stage-start', runId: 1, stageId: 2, kind: 'p', prefix: 'p', seed: 0, index: 1, total: 6, done: 0 });
    apply(run, { type: 'optimizer', stageId: 2, event: { type: 'candidate-start', index: 1, total: 4, kind: 'labeled', seed: 0 } });
    const live = run.stages.get(2)!;
    expect(live.candidates).toEqual({ done: 1, total: 4 });
    expect(live.activity).toBe('candidate 2/4 (labeled)');
    apply(run, { type: 'optimizer', stageId: 2, event: { type: 'evaluation-progress', candidate: 1, done: 5, total: 35, score: 0.6, errors: 0 } });
    expect(live.candidateEval).toEqual({ done: 5, total: 35 });
    expect(live.activity).toBe('candidate 2/4: 5/35 val');
    apply(run, { type: 'optimizer', stageId: 2, event: { type: 'candidate-end', index: 1, total: 4, kind: 'labeled', score: 71, errors: 0, numDemos: 4, bestIndex: 1, bestScore: 71 } });
    expect(live.candidates).toEqual({ done: 2, total: 4 });
    expect(live.candidateEval).toBeNull();
    expect(live.bestScore).toBe(71);
    apply(run, { type: 'optimizer', stageId: 2, event: { type: 'bootstrap-progress', candidate: 2, tried: 9, passed: 3, total: 75, wanted: 4 } });
    expect(live.bootstrap).toEqual({ tried: 9, passed: 3, total: 75, wanted: 4 });
    expect(live.activity).toBe('bootstrapping: 3 passed of 9 tried');
    expect(s).not.toBe(live); // a second stage-start replaces the record
  });

  it('keeps final evaluations per split', () => {
    const run = newRun();
    const s = start(run, 3, 'baseline');
    apply(
      run,
      { type: 'evaluation-start', stageId: 3, split: 'dev', total: 50 },
      { type: 'evaluation-progress', stageId: 3, split: 'dev', done: 20, total: 50, score: 0.55, errors: 1 },
    );
    expect(s.evals.dev).toEqual({ done: 20, total: 50, score: 0.55, errors: 1 });
    expect(s.activity).toBe('dev 20/50');
    apply(run, { type: 'evaluation-end', stageId: 3, split: 'dev', score: 0.6, n: 50, errors: 2 });
    expect(s.evals.dev).toEqual({ done: 50, total: 50, score: 0.6, errors: 2 });
    // an end without a start: the total is the count
    apply(run, { type: 'evaluation-end', stageId: 3, split: 'test', score: 0.5, n: 40, errors: 0 });
    expect(s.evals.test).toEqual({ done: 40, total: 40, score: 0.5, errors: 0 });
    // events for unknown stages are ignored
    apply(run, { type: 'evaluation-start', stageId: 404, split: 'dev', total: 1 });
    expect(run.stages.has(404)).toBe(false);
  });

  it('follows a fine-tune: progress, losses, validation loss and the trainer log', () => {
    const run = newRun();
    const s = start(run, 4, 'w');
    apply(
      run,
      { type: 'finetune', stageId: 4, event: { type: 'start', rows: 80, steps: 40 } },
      { type: 'finetune', stageId: 4, event: { type: 'step', step: 10, epoch: 0.5, loss: 1.25, tokensPerS: 900.4, etaS: 30 } },
      { type: 'finetune', stageId: 4, event: { type: 'log', line: 'saving adapter' } },
      { type: 'finetune', stageId: 4, event: { type: 'step', step: 20, epoch: 1, loss: 0.5, tokensPerS: null, etaS: 10 } },
      { type: 'finetune', stageId: 4, event: { type: 'eval', validLoss: 0.75 } },
    );
    expect(s.finetune).toEqual({ step: 20, steps: 40, epoch: 1, loss: 0.5, etaS: 10, tokensPerS: null, rows: 80 });
    expect(s.losses).toEqual([
      { step: 10, loss: 1.25 },
      { step: 20, loss: 0.5 },
    ]);
    expect(s.validLoss).toBe(0.75);
    expect(s.activity).toBe('fine-tune step 20/40 · loss 0.500');
    expect(run.logs.get(4)).toEqual([
      '» start: 80 rows, 40 steps',
      '» step 10 · epoch 0.50 · loss 1.2500 · 900 tok/s',
      'saving adapter',
      '» step 20 · epoch 1.00 · loss 0.5000',
      '» validation loss 0.7500',
    ]);
  });

  it('caps the trainer log and the warnings, and logs for stages it has not seen', () => {
    const run = newRun();
    for (let i = 0; i < 5003; i++) applyRunEvent(run, { type: 'finetune', stageId: 8, event: { type: 'log', line: `line ${i}` } });
    const log = run.logs.get(8)!;
    expect(log).toHaveLength(5000);
    expect(log[0]).toBe('line 3');
    expect(log.at(-1)).toBe('line 5002');
    for (let i = 0; i < 105; i++) applyRunEvent(run, { type: 'warning', message: `w${i}` });
    expect(run.warnings).toHaveLength(100);
    expect(run.warnings[0]).toBe('w5');
  });

  it('copies LM counters and marks the run ended (and not, when it resumes)', () => {
    const run = newRun();
    start(run, 1, 'p');
    const counters = { calls: 10, cacheHits: 2, errors: 1, parseFallbacks: 0, retries: 3 };
    apply(run, { type: 'lm-counters', counters });
    counters.calls = 99;
    expect(run.counters?.calls).toBe(10);
    apply(run, { type: 'run-end', runId: 1, status: 'cancelled' });
    expect(run.ended).toBe(true);
    expect(run.running).toEqual([]);
    apply(run, { type: 'run-start', runId: 1, experimentId: 1, task: 'iris', strategies: ['p'], seeds: [0], seedConcurrency: 1, resumed: true });
    expect(run.ended).toBe(false);
  });
});

describe('stageFraction', () => {
  it('is 1 once the stage ended, and null while a stage has no measure of progress', () => {
    const run = newRun();
    const w = start(run, 1, 'w');
    expect(stageFraction(w)).toBeNull();
    apply(run, { type: 'finetune', stageId: 1, event: { type: 'start', rows: 10, steps: null } });
    expect(stageFraction(w)).toBeNull(); // an external trainer that does not say its steps
    const base = start(run, 2, 'baseline');
    expect(stageFraction(base)).toBeNull();
    w.ended = true;
    expect(stageFraction(w)).toBe(1);
  });

  it('weighs optimization as 3/4 of a p stage, counting the running candidate partly', () => {
    const run = newRun();
    const p = start(run, 1, 'p');
    p.candidates = { done: 1, total: 4 };
    p.candidateEval = { done: 5, total: 10 };
    expect(stageFraction(p)).toBeCloseTo(0.75 * (1.5 / 4), 10);
  });

  it('measures any step kind by what it reports, not by its token', () => {
    const run = newRun();
    const other = start(run, 1, 'l');
    expect(stageFraction(other)).toBeNull();
    apply(run, { type: 'optimizer', stageId: 1, event: { type: 'candidate-start', index: 1, total: 4, kind: 'labeled', seed: 0 } });
    expect(stageFraction(other)).toBeCloseTo(0.75 * (1 / 4), 10);
  });

  it('weighs a w stage by fine-tune steps', () => {
    const run = newRun();
    const w = start(run, 1, 'w');
    apply(run, { type: 'finetune', stageId: 1, event: { type: 'start', rows: 10, steps: 100 } }, { type: 'finetune', stageId: 1, event: { type: 'step', step: 40, epoch: 1, loss: 1, tokensPerS: null, etaS: null } });
    expect(stageFraction(w)).toBeCloseTo(0.3, 10);
  });

  it('counts the final evaluations as the last quarter, over at least two splits', () => {
    const run = newRun();
    const p = start(run, 1, 'p');
    apply(run, { type: 'evaluation-progress', stageId: 1, split: 'dev', done: 25, total: 50, score: 0.5, errors: 0 });
    expect(stageFraction(p)).toBeCloseTo(0.75 + 0.25 * 0.25, 10);
    apply(run, { type: 'evaluation-end', stageId: 1, split: 'dev', score: 0.5, n: 50, errors: 0 }, { type: 'evaluation-progress', stageId: 1, split: 'test', done: 10, total: 40, score: 0.5, errors: 0 });
    expect(stageFraction(p)).toBeCloseTo(0.75 + 0.25 * ((1 + 0.25) / 2), 10);
    // a baseline only evaluates: its fraction is the evaluations alone
    const base = start(run, 2, 'baseline');
    apply(run, { type: 'evaluation-progress', stageId: 2, split: 'dev', done: 50, total: 50, score: 0.5, errors: 0 });
    expect(stageFraction(base)).toBeCloseTo(0.5, 10);
  });
});
