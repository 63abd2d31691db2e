import { describe, expect, it } from 'vitest';
import {
  AnswerExactMatch,
  answerExactMatch,
  AnswerF1,
  answerF1,
  MissingLabelError,
  normalizeAnswer,
} from '../../../core/evaluate/metrics/index.ts';
import { normalizeAnswer as normalizeFromAnswerMatch } from '../../../core/evaluate/metrics/answer-match.ts';
import { example, type FieldValue } from '../../../core/program/example.ts';

const withAnswer = (answer: FieldValue) => example('hp-1', { question: 'q' }, { answer });

describe('normalizeAnswer (the official HotpotQA / SQuAD normalization)', () => {
  it('is the one ExactMatch uses', () => {
    expect(normalizeFromAnswerMatch).toBe(normalizeAnswer);
  });

  it.each([
    ['The Eiffel Tower!', 'eiffel tower'],
    ['  An  apple, a day ', 'apple day'],
    ['"Yes."', 'yes'],
    ['Theodore the Great', 'theodore great'],
    ['an', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });
});

describe('answerExactMatch', () => {
  it.each([
    ['The Beatles', 'beatles', 1],
    ['Beatles', 'The Rolling Stones', 0],
    ['1,990', '1990', 1],
    ['Paris, France', 'Paris', 0],
    ['the', 'a', 1], // both normalize to the empty string
  ])('%j vs %j -> %d', (prediction, gold, expected) => {
    expect(answerExactMatch(prediction, gold)).toBe(expected);
  });
});

describe('answerF1 (worked out by hand)', () => {
  it.each<[string, string, number, string]>([
    // "cat sat on mat" vs "cat on mat": 3 shared; P = 3/4, R = 3/3; F1 = 2PR/(P+R) = 1.5/1.75.
    ['the cat sat on the mat', 'a cat on a mat', 6 / 7, 'extra predicted token'],
    ['cat on mat', 'cat sat on mat', 6 / 7, 'missing token (P and R swap)'],
    // [new, new, york] vs [new, york, city]: "new" counts once; 2 shared, P = R = 2/3.
    ['new new york', 'New York City', 2 / 3, 'repeated tokens count as often as both hold them'],
    ['Paris', 'paris.', 1, 'equal after normalization'],
    ['London', 'Paris', 0, 'no shared token'],
    ['', 'Paris', 0, 'empty prediction'],
    ['the', 'a', 0, 'both empty after normalization: no tokens, 0 (as the official script)'],
    // The official rule: yes / no / noanswer score only by exact match.
    ['yes', 'no', 0, 'yes vs no'],
    ['Yes.', 'yes', 1, 'yes vs yes'],
    ['yes it is', 'yes', 0, 'gold yes, prediction more than yes (plain token F1 would be 0.5)'],
    ['no', 'no way', 0, 'prediction no, gold more than no (plain token F1 would be 2/3)'],
    ['noanswer', 'no answer', 0, 'noanswer vs "no answer"'],
  ])('%j vs %j -> %d (%s)', (prediction, gold, expected) => {
    expect(answerF1(prediction, gold)).toBeCloseTo(expected, 12);
  });
});

describe('AnswerExactMatch and AnswerF1 metrics', () => {
  const em = new AnswerExactMatch();
  const f1 = new AnswerF1();

  it('are named answer_em and answer_f1 and read the answer field', () => {
    expect([em.name, em.field, em.predictionField]).toEqual(['answer_em', 'answer', 'answer']);
    expect([f1.name, f1.field]).toEqual(['answer_f1', 'answer']);
  });

  it('score a prediction against the gold answer', () => {
    expect(em.score(withAnswer('The Beatles'), { answer: 'beatles' })).toBe(1);
    expect(em.score(withAnswer('The Beatles'), { answer: 'The Rolling Stones' })).toBe(0);
    expect(f1.score(withAnswer('a cat on a mat'), { answer: 'the cat sat on the mat' })).toBeCloseTo(6 / 7, 12);
  });

  it('take the best gold answer when there are several', () => {
    expect(em.score(withAnswer(['NYC', 'New York City']), { answer: 'new york city' })).toBe(1);
    expect(f1.score(withAnswer(['Paris', 'cat on mat']), { answer: 'cat sat on mat' })).toBeCloseTo(6 / 7, 12);
  });

  it('score a missing prediction 0 and a missing label as a wiring error', () => {
    expect(em.score(withAnswer('x'), {})).toBe(0);
    expect(f1.score(withAnswer('x'), {})).toBe(0);
    expect(() => em.score(example('hp-2', { question: 'q' }, {}), { answer: 'x' })).toThrow(MissingLabelError);
    expect(() => em.score(example('hp-2', { question: 'q' }, {}), { answer: 'x' })).toThrow(/answer_em: example "hp-2" has no label "answer"/);
  });

  it('can read other fields', () => {
    const metric = new AnswerExactMatch({ field: 'gold', predictionField: 'short' });
    expect(metric.score(example('hp-3', {}, { gold: 'Oslo' }), { short: 'oslo' })).toBe(1);
  });
});
