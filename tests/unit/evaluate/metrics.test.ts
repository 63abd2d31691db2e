import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalSpecies,
  ExactMatch,
  exactMatch,
  Gsm8kIntegerMatch,
  MissingLabelError,
  normalizeAnswer,
  parseGoldInteger,
  parseLastNumber,
  SpeciesMatch,
} from '../../../core/evaluate/metrics/index.ts';
import { example, type FieldValue } from '../../../core/program/example.ts';

const withLabels = (labels: Record<string, FieldValue>) => example('ex-1', { question: 'q' }, labels);

describe('normalizeAnswer (SQuAD / HotPotQA)', () => {
  it.each([
    ['The Beatles', 'beatles'],
    ['  Paris,   France. ', 'paris france'],
    ['an apple a day', 'apple day'],
    ['A', ''],
    ['theater', 'theater'],
    ['Anastasia', 'anastasia'],
    ["O'Neill", 'oneill'],
    ['U.S.A.', 'usa'],
    ['1,000', '1000'],
    ['tab\tand\nnewline', 'tab and newline'],
    ['the-the', 'thethe'],
    ['THE END', 'end'],
    ['á the é', 'á é'],
    ['aé the', 'aé'],
    ['“quoted”', '“quoted”'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeAnswer(normalizeAnswer(s)) === normalizeAnswer(s)));
  });
});

describe('ExactMatch', () => {
  const metric = new ExactMatch();

  it.each<[string, FieldValue, string, number]>([
    ['same text', 'Paris', 'Paris', 1],
    ['case and punctuation', 'Paris', 'paris.', 1],
    ['articles', 'The Eiffel Tower', 'eiffel tower', 1],
    ['extra words', 'Paris', 'Paris, France', 0],
    ['any gold in a list', ['NYC', 'New York City'], 'new york city!', 1],
    ['none of the golds', ['NYC', 'New York City'], 'New York', 0],
    ['empty gold list', [], 'x', 0],
    ['numeric gold', 42, '42', 1],
    ['empty prediction', 'Paris', '', 0],
  ])('%s', (_, gold, predicted, expected) => {
    expect(metric.score(withLabels({ answer: gold }), { answer: predicted })).toBe(expected);
  });

  it('scores 0 when the prediction lacks the field', () => {
    expect(metric.score(withLabels({ answer: 'x' }), { reasoning: 'x' })).toBe(0);
  });

  it('reads a configurable label field and prediction field', () => {
    const m = exactMatch({ field: 'gold', predictionField: 'output' });
    expect(m.score(withLabels({ gold: 'Yes' }), { output: 'yes' })).toBe(1);
    expect(new ExactMatch({ field: 'title' }).score(withLabels({ title: 'A Title' }), { title: 'title' })).toBe(1);
  });

  it('throws a clear error when the example lacks the label (a wiring bug, not a miss)', () => {
    expect(() => metric.score(withLabels({ species: 'x' }), { answer: 'x' })).toThrow(MissingLabelError);
    expect(() => metric.score(withLabels({ species: 'x' }), { answer: 'x' })).toThrow(
      'exact_match: example "ex-1" has no label "answer" (labels: species)',
    );
  });
});

describe('parseLastNumber', () => {
  it.each<[string, number | null]>([
    ['18', 18],
    ['The answer is 18.', 18],
    ['$18', 18],
    ['$1,234', 1234],
    ['1,234,567 people', 1234567],
    ['12,345', 12345],
    ['1,2', 2],
    ['1234,567', 567],
    ['18.0', 18],
    ['18.00 dollars', 18],
    ['18.5', 18.5],
    ['$1,234.50', 1234.5],
    ['-5', -5],
    ['The change is -5 degrees', -5],
    ['= -5', -5],
    ['-$5', -5],
    ['$-5', -5],
    ['\u22127', -7],
    ['(-3)', -3],
    ['7-5', 5],
    ['7 - 5 = 2', 2],
    ['x-5', 5],
    ['2023-10-05', 5],
    ['first 3 then 4 apples', 4],
    ['50%', 50],
    ['3/4', 4],
    ['18 cm.', 18],
    ['no numbers here', null],
    ['', null],
    ['$', null],
  ])('%j -> %j', (text, expected) => {
    expect(parseLastNumber(text)).toBe(expected);
  });

  it('reads back any integer written with thousands separators, $ and a trailing unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.boolean(), (n, dollar) => {
        const grouped = Math.abs(n).toLocaleString('en-US');
        const text = `So the total is ${n < 0 ? '-' : ''}${dollar ? '$' : ''}${grouped} units.`;
        return parseLastNumber(text) === n;
      }),
    );
  });
});

describe('parseGoldInteger', () => {
  it.each<[string, number]>([
    ['18', 18],
    ['1,080', 1080],
    ['-3', -3],
    [' 42 ', 42],
    ['$5', 5],
  ])('%j -> %d', (text, expected) => {
    expect(parseGoldInteger(text)).toBe(expected);
  });

  it.each(['', 'abc', '1.5', '18 apples'])('rejects %j', (text) => {
    expect(() => parseGoldInteger(text)).toThrow(/is not an integer/);
  });
});

describe('Gsm8kIntegerMatch', () => {
  const metric = new Gsm8kIntegerMatch();

  it.each<[string, FieldValue, string, number]>([
    ['plain', '18', '18', 1],
    ['sentence', '18', 'She makes $18 every day.', 1],
    ['decimal zero', '18', '18.0', 1],
    ['real decimal', '18', '18.5', 0],
    ['commas in prediction', '1234', '1,234', 1],
    ['commas in gold', '1,234', '1234', 1],
    ['negative', '-4', 'The result is -4.', 1],
    ['sign mismatch', '4', '-4', 0],
    ['last number wins', '18', '18 is wrong, it is 20', 0],
    ['last number wins (right)', '20', '18 is wrong, it is 20', 1],
    ['no number', '18', 'eighteen', 0],
    ['empty', '18', '', 0],
    ['numeric gold label', 18, '18', 1],
  ])('%s', (_, gold, predicted, expected) => {
    expect(metric.score(withLabels({ answer: gold }), { answer: predicted })).toBe(expected);
  });

  it('does not look at the reasoning field', () => {
    expect(metric.score(withLabels({ answer: '18' }), { reasoning: 'so 18', answer: 'unknown' })).toBe(0);
    expect(metric.score(withLabels({ answer: '18' }), { reasoning: 'so 18' })).toBe(0);
  });

  it('throws on a gold label that is not an integer', () => {
    expect(() => metric.score(withLabels({ answer: 'many' }), { answer: '1' })).toThrow(
      /gsm8k_integer: example "ex-1": gold answer "many" is not an integer/,
    );
  });
});

describe('canonicalSpecies', () => {
  it.each<[string, string | null]>([
    ['setosa', 'setosa'],
    ['Setosa', 'setosa'],
    ['  VIRGINICA\n', 'virginica'],
    ['versicolor.', 'versicolor'],
    ['Iris-setosa', 'setosa'],
    ['iris setosa', 'setosa'],
    ['Iris Virginica', 'virginica'],
    ['I. versicolor', 'versicolor'],
    ['**setosa**', 'setosa'],
    ['"setosa"', 'setosa'],
    ['setosa or versicolor', null],
    ['The species is setosa', null],
    ['iris', null],
    ['i', null],
    ['virginica', 'virginica'],
    ['rose', null],
    ['versicolour', null],
    ['setosas', null],
    ['', null],
  ])('%j -> %j', (text, expected) => {
    expect(canonicalSpecies(text)).toBe(expected);
  });
});

describe('SpeciesMatch', () => {
  const metric = new SpeciesMatch();

  it.each<[string, string, number]>([
    ['setosa', 'setosa', 1],
    ['setosa', 'Iris-setosa', 1],
    ['Iris-setosa', 'setosa', 1],
    ['virginica', 'Virginica.', 1],
    ['virginica', 'versicolor', 0],
    ['setosa', 'not sure', 0],
    ['setosa', '', 0],
  ])('gold %j, predicted %j -> %d', (gold, predicted, expected) => {
    expect(metric.score(example('iris-000', {}, { species: gold }), { species: predicted })).toBe(expected);
  });

  it('scores 0 when the prediction lacks the species field', () => {
    expect(metric.score(example('iris-000', {}, { species: 'setosa' }), { reasoning: 'setosa' })).toBe(0);
  });

  it('throws when the example has no species label', () => {
    expect(() => metric.score(example('iris-000', {}, {}), { species: 'setosa' })).toThrow(MissingLabelError);
  });

  it('has stable names', () => {
    expect([new ExactMatch().name, new Gsm8kIntegerMatch().name, metric.name]).toEqual([
      'exact_match',
      'gsm8k_integer',
      'species_match',
    ]);
  });
});
