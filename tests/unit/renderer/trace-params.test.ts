import { describe, expect, it } from 'vitest';
import type { StageSummary } from '../../../renderer/src/api/types.ts';
import { chooseStage, readParams, toQuery } from '../../../renderer/src/views/traces/trace-params.ts';
import { fieldsPreview, goldPreview } from '../../../renderer/src/views/traces/tree/fields.ts';

const q = (s: string) => new URLSearchParams(s);

function stage(id: number, status: StageSummary['status'], scores: StageSummary['scores'] = null): StageSummary {
  return { id, runId: 1, parentStageId: null, kind: 'p', prefix: 'p', seed: 0, status, modelId: null, scores, error: null, outcome: null, startedAt: 0, finishedAt: null };
}

describe('trace URL params', () => {
  it('reads every filter, with defaults for missing or invalid values', () => {
    expect(readParams(q('stage=4&split=dev&outcome=error&predictor=classify&q=iris&sort=score-desc&trace=12'))).toEqual({
      stageId: 4,
      evaluationId: null,
      split: 'dev',
      outcome: 'error',
      predictor: 'classify',
      q: 'iris',
      sort: 'score-desc',
      traceId: 12,
    });
    expect(readParams(q('stage=0&split=train&outcome=maybe&sort=random&trace=-3&eval=x'))).toEqual({
      stageId: null,
      evaluationId: null,
      split: 'test',
      outcome: null,
      predictor: null,
      q: '',
      sort: 'index',
      traceId: null,
    });
  });

  it('turns params into a page query: stage + split, or an evaluation by id', () => {
    const p = readParams(q('outcome=fail&q=%20setosa%20&sort=score'));
    expect(toQuery(p, 9)).toEqual({ stageId: 9, split: 'test', sort: 'score', passed: false, search: 'setosa' });
    expect(toQuery(p, null)).toBeNull();
    expect(toQuery(readParams(q('eval=31&outcome=pass&split=dev')), 9)).toEqual({ evaluationId: 31, sort: 'index', passed: true });
    expect(toQuery(readParams(q('outcome=error&q=%20%20')), 2)).toEqual({ stageId: 2, split: 'test', sort: 'index', failed: true });
  });
});

describe('chooseStage (?stage= drives the stage picker)', () => {
  const stages = [stage(1, 'finished', { test: 60 }), stage(2, 'running'), stage(3, 'finished', { test: 80 }), stage(4, 'failed', { dev: 50 }), stage(5, 'pending')];

  it('defaults to the first evaluable stage and offers only evaluable ones', () => {
    const c = chooseStage(stages, null);
    expect(c.stageId).toBe(1);
    expect(c.options.map((s) => s.id)).toEqual([1, 3, 4]);
    expect(c.unknown).toBe(false);
  });

  it('selects the URL stage, adding it to the options in run order when not evaluated yet', () => {
    expect(chooseStage(stages, 3)).toMatchObject({ stageId: 3, unknown: false });
    const running = chooseStage(stages, 2);
    expect(running.stageId).toBe(2);
    expect(running.options.map((s) => s.id)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the URL stage while stages load, and flags one the run does not have', () => {
    expect(chooseStage(null, 7)).toEqual({ stageId: 7, options: [], unknown: false });
    expect(chooseStage(null, null)).toEqual({ stageId: null, options: [], unknown: false });
    expect(chooseStage(stages, 99)).toMatchObject({ stageId: 99, unknown: true });
    expect(chooseStage([], null)).toEqual({ stageId: null, options: [], unknown: false });
  });
});

describe('row previews', () => {
  it('shows one gold label as its value and several as name: value', () => {
    expect(goldPreview({ species: 'setosa' })).toBe('gold: setosa');
    expect(goldPreview({ answer: 'Paris', support: ['a', 'b'] })).toBe('gold: answer: Paris · support: a, b');
    // with the prediction: only the labels it predicts, when there are any
    expect(goldPreview({ answer: 'Paris', gold_titles: ['a', 'b'] }, 60, { reasoning: 'r', answer: 'Lyon' })).toBe('gold: Paris');
    expect(goldPreview({ answer: 'Paris', gold_titles: ['a'] }, 60, { other: 'x' })).toBe('gold: answer: Paris · gold_titles: a');
    expect(goldPreview({ answer: 'Paris', gold_titles: ['a'] }, 60, null)).toBe('gold: answer: Paris · gold_titles: a');
    expect(goldPreview({ n: 3 })).toBe('gold: 3');
    expect(goldPreview({ x: null })).toBe('gold: ∅');
  });

  it('shows nothing for missing labels', () => {
    expect(goldPreview(null)).toBeNull();
    expect(goldPreview(undefined)).toBeNull();
    expect(goldPreview({})).toBeNull();
  });

  it('clips long labels and collapses whitespace', () => {
    const text = goldPreview({ answer: `a  b\n${'x'.repeat(100)}` }, 10);
    expect(text).toBe('gold: a b xxxxxx…');
  });

  it('puts answers before reasoning in the prediction preview', () => {
    expect(fieldsPreview({ reasoning: 'petals are\nshort', species: 'setosa' })).toBe('species: setosa · reasoning: petals are short');
    expect(fieldsPreview({ species: 'virginica' }, 8)).toBe('species:…');
    expect(fieldsPreview(null)).toBe('');
  });
});
