import { describe, expect, it } from 'vitest';
import type { ValidationPoint } from '../../../renderer/src/api/types.ts';
import { runStrategies, strategyFromParam } from '../../../renderer/src/views/compare/compare-params.ts';
import type { RunLive, StageLive } from '../../../renderer/src/views/run/live-store.ts';
import { stageHref, stagesWithCandidates } from '../../../renderer/src/views/run/stage-links.ts';

const KINDS = [
  { token: 'p', name: 'prompt optimization (Π)', needsFinetuner: false, firstActivity: 'starting random search' },
  { token: 'w', name: 'weight fine-tuning (Θ)', needsFinetuner: true, firstActivity: 'collecting traces on the train set' },
  { token: 'l', name: 'labeled few-shot', needsFinetuner: false },
  { token: 'tune', name: 'another trainer', needsFinetuner: true },
];

const validation = (stageId: number): ValidationPoint => ({ stageId, seed: 0, prefix: 'p', step: 1, candidates: [], best: null });

describe('stage links', () => {
  it('opens candidates for a stage that has them, the fine-tune job for a training kind, else the traces', () => {
    const withCandidates = stagesWithCandidates([validation(2)], null);
    expect(stageHref(1, { id: 2, kind: 'p' }, withCandidates, KINDS)).toBe('#/runs/1/candidates/2');
    expect(stageHref(1, { id: 3, kind: 'w' }, withCandidates, KINDS)).toBe('#/runs/1/finetune?stage=3');
    expect(stageHref(1, { id: 4, kind: 'tune' }, withCandidates, KINDS)).toBe('#/runs/1/finetune?stage=4');
    // a kind that neither searched nor trains: its traces, whatever its token
    expect(stageHref(1, { id: 5, kind: 'l' }, withCandidates, KINDS)).toBe('#/runs/1/traces?stage=5');
    expect(stageHref(1, { id: 6, kind: 'baseline' }, withCandidates, KINDS)).toBe('#/runs/1/traces?stage=6');
  });

  it('counts a running stage that reports a search before any candidate is stored', () => {
    const searching = { stageId: 9, candidates: { done: 0, total: 4 } } as StageLive;
    const idle = { stageId: 10, candidates: null } as StageLive;
    const live = { stages: new Map([[9, searching], [10, idle]]) } as RunLive;
    expect([...stagesWithCandidates(undefined, live)]).toEqual([9]);
    expect([...stagesWithCandidates([validation(1)], live)].sort()).toEqual([1, 9]);
  });
});

describe('compare URL strategies', () => {
  it('reads strategies with the contract grammar: canonical text, → and the baseline aliases', () => {
    expect(strategyFromParam('p->w')).toBe('p -> w');
    expect(strategyFromParam(' p → w ')).toBe('p -> w');
    expect(strategyFromParam('zero-shot')).toBe('');
    expect(strategyFromParam('')).toBe('');
    // refused text stays as written, so it matches no strategy
    expect(strategyFromParam('p -> -> w')).toBe('p -> -> w');
    expect(strategyFromParam('P')).toBe('P');
  });

  it('lists a run\'s strategies zero-shot first, once each', () => {
    expect(runStrategies('p, p -> w, p')).toEqual(['', 'p', 'p -> w']);
    expect(runStrategies('')).toEqual(['']);
  });
});
