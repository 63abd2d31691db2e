// The metrics a no-code task can name, each on values worked out by hand, and the check of gold
// values at load time.

import { describe, expect, it } from 'vitest';
import { ContainsAnswer, containsAnswer } from '../../../core/evaluate/metrics/contains-answer.ts';
import { ExactValueMatch } from '../../../core/evaluate/metrics/exact-value.ts';
import { MissingLabelError } from '../../../core/evaluate/metrics/label.ts';
import { LabelSetMatch } from '../../../core/evaluate/metrics/label-set.ts';
import { IntegerMatch, NumericTolerance, parseGoldNumber } from '../../../core/evaluate/metrics/number-match.ts';
import { RegexMatch } from '../../../core/evaluate/metrics/regex-match.ts';
import { F1Threshold } from '../../../core/evaluate/metrics/token-f1.ts';
import { example, type FieldValue } from '../../../core/program/example.ts';
import type { Metric } from '../../../core/evaluate/metric.ts';
import { goldProblem, metricOf } from '../../../core/tasks/declarative/metric.ts';

const ex = (gold: FieldValue) => example('e1', { q: 'x' }, { a: gold });
const score = (metric: Metric, gold: FieldValue, predicted: string) => metric.score(ex(gold), { a: predicted });

describe('metrics of no-code tasks', () => {
  it('exact: equal after trimming, case and punctuation count, any of several golds', () => {
    const m = new ExactValueMatch({ field: 'a' });
    expect(score(m, 'Paris', '  Paris\n')).toBe(1);
    expect(score(m, 'Paris', 'paris')).toBe(0);
    expect(score(m, 'Paris', 'Paris.')).toBe(0);
    expect(score(m, ['NYC', 'New York'], 'New York')).toBe(1);
    expect(m.score(ex('Paris'), {})).toBe(0);
    expect(() => m.score(example('e2', {}, {}), { a: 'x' })).toThrow(MissingLabelError);
  });

  it('normalized exact: SQuAD normalization on both sides', () => {
    const m = metricOf({ kind: 'normalized-exact', field: 'a' });
    expect(score(m, 'Paris', 'The  PARIS!')).toBe(1);
    expect(score(m, 'Paris', 'Paris, France')).toBe(0);
  });

  it('f1: passes when token F1 reaches the threshold', () => {
    // gold "the quick brown fox" → quick brown fox; prediction → quick fox jumps: 2 shared of 3 and 3, F1 = 2/3.
    const at = (threshold: number) => new F1Threshold({ field: 'a', threshold });
    expect(at(0.5).f1(ex('the quick brown fox'), { a: 'quick fox jumps' })).toBeCloseTo(2 / 3, 12);
    expect(score(at(0.6), 'the quick brown fox', 'quick fox jumps')).toBe(1);
    expect(score(at(2 / 3), 'the quick brown fox', 'quick fox jumps')).toBe(1);
    expect(score(at(0.7), 'the quick brown fox', 'quick fox jumps')).toBe(0);
    // gold "w x y z" vs "w x": P = 1, R = 1/2, F1 = 2/3 → fails 0.8; against a second gold "w x v": P = 1, R = 2/3, F1 = 0.8 → passes.
    expect(score(at(0.8), 'w x y z', 'w x')).toBe(0);
    expect(score(at(0.8), ['w x y z', 'w x v'], 'w x')).toBe(1);
    expect(() => at(0)).toThrow(/threshold/);
  });

  it('integer: the last number in the prediction equals the gold integer', () => {
    const m = new IntegerMatch({ field: 'a' });
    expect(m.name).toBe('integer_match');
    expect(score(m, '1,234', 'So the total is $1,234.')).toBe(1);
    expect(score(m, '18', '18.0')).toBe(1);
    expect(score(m, '18', 'between 17 and 18.5')).toBe(0);
    expect(score(m, '-5', 'It drops to -5')).toBe(1);
    expect(score(m, '7', 'no number here')).toBe(0);
    expect(() => score(m, '3.5', '3.5')).toThrow(/gold answer "3.5" is not an integer/);
  });

  it('numeric: within ± tolerance of the gold number', () => {
    const m = new NumericTolerance({ field: 'a', tolerance: 0.05 });
    expect(score(m, '3.14', 'about 3.1')).toBe(1); // |3.1 − 3.14| = 0.04
    expect(score(m, '3.14', 'about 3.2')).toBe(0); // 0.06
    expect(score(m, '3.14', '3.19')).toBe(1); // 0.05 exactly, despite floating point
    expect(score(m, '1,000', '$1,000.04')).toBe(1);
    expect(score(new NumericTolerance({ field: 'a', tolerance: 0 }), '0.3', String(0.1 + 0.2))).toBe(1);
    expect(score(m, '2', 'two')).toBe(0);
    expect(parseGoldNumber('−2.5')).toBe(-2.5);
    expect(() => parseGoldNumber('abc')).toThrow(/not a number/);
    expect(() => new NumericTolerance({ field: 'a', tolerance: -1 })).toThrow(/tolerance/);
  });

  it('label: the prediction names a label of the set, and it is the gold one', () => {
    const m = new LabelSetMatch({ field: 'a', labels: ['positive', 'negative', 'neutral'] });
    expect(score(m, 'Positive', 'positive.')).toBe(1);
    expect(score(m, 'positive', ' "POSITIVE" ')).toBe(1);
    expect(score(m, 'positive', 'negative')).toBe(0);
    expect(score(m, 'positive', 'very positive')).toBe(0);
    expect(m.labelOf('Neutral!')).toBe('neutral');
    expect(() => score(m, 'great', 'positive')).toThrow(/gold "great" is not one of the labels positive, negative, neutral/);
    expect(() => new LabelSetMatch({ field: 'a', labels: ['Yes', 'yes'] })).toThrow(/same ignoring case/);
  });

  it('contains: the normalized gold appears as whole words in the normalized prediction', () => {
    const m = new ContainsAnswer({ field: 'a' });
    expect(score(m, 'Paris', 'It is in Paris, France.')).toBe(1);
    expect(score(m, 'Paris', 'Parisian food')).toBe(0);
    expect(score(m, 'New York', 'the new-york... no: New York City')).toBe(1);
    expect(containsAnswer('x', 'the')).toBe(false);
  });

  it('regex: the pattern must match the prediction; the gold is not read', () => {
    const m = new RegexMatch({ field: 'a', pattern: '^\\d{3}-\\d{4}$' });
    expect(m.score(example('e', {}, {}), { a: '555-1234' })).toBe(1);
    expect(m.score(example('e', {}, {}), { a: '5551234' })).toBe(0);
    const i = metricOf({ kind: 'regex', field: 'a', pattern: '^yes\\b', flags: 'i' });
    expect(score(i, 'ignored', 'Yes, it is')).toBe(1);
    expect(score(i, 'ignored', 'yesterday')).toBe(0);
    expect(() => new RegexMatch({ field: 'a', pattern: 'a', flags: 'g' })).toThrow(/not allowed/);
  });

  it('checks gold values before a run, per metric kind', () => {
    expect(goldProblem({ kind: 'integer', field: 'a' }, '12')).toBeNull();
    expect(goldProblem({ kind: 'integer', field: 'a' }, 12)).toBeNull();
    expect(goldProblem({ kind: 'integer', field: 'a' }, '1.5')).toBe('gold answer "1.5" is not an integer');
    expect(goldProblem({ kind: 'numeric', field: 'a', tolerance: 1 }, 'n/a')).toBe('gold answer "n/a" is not a number');
    expect(goldProblem({ kind: 'label', field: 'a', labels: ['yes', 'no'] }, 'Yes')).toBeNull();
    expect(goldProblem({ kind: 'label', field: 'a', labels: ['yes', 'no'] }, 'maybe')).toBe('"maybe" is not one of the labels yes, no');
    expect(goldProblem({ kind: 'exact', field: 'a' }, '')).toBe('missing the gold value the exact metric scores against');
    expect(goldProblem({ kind: 'exact', field: 'a' }, undefined)).toMatch(/missing the gold value/);
    expect(goldProblem({ kind: 'regex', field: 'a', pattern: 'x' }, undefined)).toBeNull();
  });
});
