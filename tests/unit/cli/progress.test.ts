import { describe, expect, it } from 'vitest';
import { ProgressView } from '../../../core/cli/progress.ts';
import type { RunEvent } from '../../../core/runner/events.ts';

function view(isTTY = false) {
  const out: string[] = [];
  const progress = new ProgressView({ isTTY, write: (s) => out.push(s) });
  const lines = () => out.join('').split('\n').filter((l) => l && !l.startsWith('\r'));
  return { progress, out, lines };
}

const runStart = (seedConcurrency: number): RunEvent => ({ type: 'run-start', runId: 1, experimentId: 1, task: 'iris', strategies: ['p'], seeds: [0, 1], seedConcurrency, resumed: false });
const stageStart = (stageId: number, seed: number, prefix: string, index: number, done: number): RunEvent => ({
  type: 'stage-start',
  runId: 1,
  stageId,
  kind: prefix === '' ? 'baseline' : 'p',
  prefix,
  seed,
  index,
  total: 4,
  done,
});
const candidateEnd = (stageId: number): RunEvent => ({
  type: 'optimizer',
  stageId,
  event: { type: 'candidate-end', index: 1, total: 4, kind: 'labeled', score: 0.5, errors: 0, numDemos: 3, bestIndex: 1, bestScore: 0.5 },
});

describe('ProgressView', () => {
  it('one seed at a time: numbered stages, untagged milestones', () => {
    const { progress, lines } = view();
    progress.handle(runStart(1));
    progress.handle(stageStart(1, 0, '', 1, 0));
    progress.handle({ type: 'evaluation-end', stageId: 1, split: 'dev', score: 0.5, n: 50, errors: 0 });
    expect(lines()).toEqual(['run 1: iris, strategies "p", seeds 0, 1', 'stage 1/4 seed 0: zero-shot baseline', '  dev    50.0% of 50']);
  });

  it('seeds at once: milestones say whose they are, the status line shows every running stage and the finished count', () => {
    const { progress, lines } = view();
    progress.handle(runStart(2));
    progress.handle(stageStart(1, 0, '', 1, 0));
    progress.handle(stageStart(2, 1, '', 3, 0));
    progress.handle({ type: 'stage-end', runId: 1, stageId: 2, kind: 'baseline', prefix: '', seed: 1, scores: {}, done: 1 });
    progress.handle(stageStart(3, 1, 'p', 4, 1));
    progress.handle(candidateEnd(3));
    progress.handle({ type: 'evaluation-progress', stageId: 1, split: 'test', done: 7, total: 50, score: 0.5, errors: 0 });
    progress.handle({ type: 'optimizer', stageId: 3, event: { type: 'candidate-start', index: 2, total: 4, kind: 'bootstrap', seed: 0 } });
    expect(lines()).toEqual([
      'run 1: iris, strategies "p", seeds 0, 1 (2 at once)',
      'stage 1/4 seed 0: zero-shot baseline (0/4 done)',
      'stage 3/4 seed 1: zero-shot baseline (0/4 done)',
      'stage 4/4 seed 1: p (1/4 done)',
      '  seed 1 p: candidate 2/4 labeled    3 demos  val  50.0%  (best so far)',
    ]);
    expect(progress.status()).toBe('1/4 done | seed 0 zero-shot baseline: evaluating test 7/50, score 50.0% | seed 1 p: candidate 3/4 (bootstrap) | LM calls 0 (0 cached)');
  });

  it('redraws the status line in place on a terminal and clears it at the end', () => {
    const { progress, out } = view(true);
    progress.handle(runStart(1));
    progress.handle(stageStart(1, 0, '', 1, 0));
    expect(out.at(-1)).toBe('\r\x1b[Kstage 1/4 seed 0: zero-shot baseline | LM calls 0 (0 cached)');
    progress.handle({ type: 'run-end', runId: 1, status: 'finished' });
    expect(out.at(-1)).toBe('\r\x1b[K');
  });
});
