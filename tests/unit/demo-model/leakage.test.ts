// The demo model's corpus must not contain Iris rows, GSM8K problems or HotPotQA questions, nor
// near-duplicates of them. Episodes are generated with the same generator and seed as training.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitSections } from '../../../core/adapter/chat-adapter.ts';
import { CLASS_NAME_STYLES, generateEpisode, parseNumericRows, type Exclusions } from '../../../scripts/demo-model/corpus.ts';

const iris = parseNumericRows(readFileSync('resources/datasets/iris/iris.csv', 'utf8'));
const exclusions: Exclusions = { records4: iris, tol: 0.2 };
const gsm8k = ['train', 'test'].flatMap((part) =>
  readFileSync(`resources/datasets/gsm8k/${part}.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => String((JSON.parse(l) as { question: string }).question)),
);
const N = 1500;

const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
function ngrams(s: string, n: number): Set<string> {
  const w = words(s);
  const out = new Set<string>();
  for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n).join(' '));
  return out;
}

/** Every run of 4 numeric values shown in a user turn (inputs of demos and queries). */
function numericRecords(messages: Array<{ role: string; content: unknown }>): number[][] {
  const out: number[][] = [];
  for (const m of messages) {
    if (m.role !== 'user') continue;
    const values = Object.values(splitSections(String(m.content)))
      .filter((v) => /^-?\d+(\.\d+)?$/.test(v))
      .map(Number);
    for (let i = 0; i + 4 <= values.length; i++) out.push(values.slice(i, i + 4));
  }
  return out;
}

describe('demo-model corpus leakage', () => {
  // Every corpus the recipe uses: each class-name style (stage 1 and stage 2 differ in it).
  it.each(CLASS_NAME_STYLES)('contains no Iris row nor a near-duplicate (all four values within 0.1, in order): %s names', (classNames) => {
    let checked = 0;
    for (const task of ['classify', 'rule'] as const) {
      for (let i = 0; i < N; i++) {
        const ep = generateEpisode(task, 0, i, exclusions, { classNames, zeroShotClassify: 0.5 });
        for (const rec of numericRecords(ep.messages)) {
          checked++;
          const near = iris.find((row) => row.every((v, j) => Math.abs(v - rec[j]!) <= 0.1 + 1e-9));
          expect(near, `episode ${task}#${i} shows ${rec.join(',')}`).toBeUndefined();
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it.each(CLASS_NAME_STYLES)('never names the Iris species or its measurements: %s names', (classNames) => {
    for (const task of ['classify', 'rule', 'recite', 'copy', 'lookup', 'qa'] as const) {
      for (let i = 0; i < 300; i++) {
        const text = generateEpisode(task, 0, i, exclusions, { classNames }).messages.map((m) => String(m.content)).join('\n').toLowerCase();
        expect(text).not.toMatch(/setosa|versicolor|virginica|sepal|petal|\biris\b/);
      }
    }
  });

  it('contains no GSM8K problem nor a near-duplicate (no shared 6-word run)', () => {
    const gsm = new Set<string>();
    for (const q of gsm8k) for (const g of ngrams(q, 6)) gsm.add(g);
    expect(gsm8k.length).toBeGreaterThan(100);
    for (let i = 0; i < N; i++) {
      const ep = generateEpisode('arith', 0, i);
      const text = ep.messages.map((m) => String(m.content)).join('\n');
      for (const g of ngrams(text, 6)) expect(gsm.has(g), `arith#${i} shares "${g}" with GSM8K`).toBe(false);
    }
  });

  it('asks no HotPotQA question: QA episodes use only made-up entities in fixed templates', () => {
    const templates = [
      /^In which country is [A-Z][a-z]+\?$/,
      /^When was [A-Z][a-z]+ founded\?$/,
      /^Who wrote [A-Z][a-z]+\?$/,
      /^Where was [A-Z][a-z]+ [A-Z][a-z]+ born\?$/,
    ];
    for (let i = 0; i < N; i++) {
      const ep = generateEpisode('qa', 0, i);
      expect(ep.question).toBeDefined();
      expect(templates.some((t) => t.test(ep.question!)), ep.question).toBe(true);
    }
  });
});
