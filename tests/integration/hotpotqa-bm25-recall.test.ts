// How well plain BM25 finds the gold paragraphs of the bundled HotpotQA questions: a real passage
// index (core/store/passage-index.ts) over every question's context paragraphs
// (hotpotPassages), searched with each question's text at k = 3 (the program's k) and k = 10.
// Reports the share of questions with at least one and with both gold (supporting) titles in the
// top k. The bounds below are the measured values less about 3 points: at least one gold title
// 93.6% (k = 3) and 99.4% (k = 10), both 37.4% (k = 3) and 69.1% (k = 10), on the 2,153 questions
// (the FTS5 search of commit 4e22e32 gave the same within 0.2 points). bench/hotpotqa-recall.ts
// reports more k and the split by question type.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPassageIndex, PassageIndex } from '../../core/store/passage-index.ts';
import { bundledHotpotQAPath, hotpotPassages, loadHotpotQA, type HotpotQuestion } from '../../core/tasks/hotpotqa-data.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-hotpotqa-bm25-'));
let questions: HotpotQuestion[];
let index: PassageIndex;

beforeAll(async () => {
  questions = await loadHotpotQA(bundledHotpotQAPath());
  const file = path.join(dir, 'hotpotqa.sqlite');
  buildPassageIndex(file, hotpotPassages(questions), { source: 'bundled hotpotqa' });
  index = PassageIndex.open(file);
}, 300_000);

afterAll(() => {
  index?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Recall {
  anyGold: number;
  bothGold: number;
}

function recallAt(k: number): Recall {
  let any = 0;
  let both = 0;
  for (const q of questions) {
    const hits = index.search(q.question, k);
    expect(hits.length).toBeLessThanOrEqual(k);
    const top = new Set(hits.map((h) => h.id));
    const found = q.supportingTitles.filter((t) => top.has(t)).length;
    if (found >= 1) any++;
    if (found === q.supportingTitles.length) both++;
  }
  return { anyGold: any / questions.length, bothGold: both / questions.length };
}

describe('BM25 over the bundled HotpotQA paragraphs', () => {
  it('finds gold paragraphs for most questions at k = 3 and k = 10', () => {
    expect(index.info.passages).toBe(20_801);
    const at3 = recallAt(3);
    const at10 = recallAt(10);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `HotpotQA BM25 recall over ${questions.length} questions, ${index.info.passages} passages:\n` +
        `  k = 3:  at least one gold title ${pct(at3.anyGold)}, both ${pct(at3.bothGold)}\n` +
        `  k = 10: at least one gold title ${pct(at10.anyGold)}, both ${pct(at10.bothGold)}`,
    );
    expect(at3.anyGold).toBeGreaterThanOrEqual(0.9);
    expect(at3.bothGold).toBeGreaterThanOrEqual(0.33);
    expect(at10.anyGold).toBeGreaterThanOrEqual(0.97);
    expect(at10.bothGold).toBeGreaterThanOrEqual(0.65);
    // More passages can only find more; and both gold titles never outnumber at least one.
    expect(at10.anyGold).toBeGreaterThanOrEqual(at3.anyGold);
    expect(at10.bothGold).toBeGreaterThanOrEqual(at3.bothGold);
    expect(at3.bothGold).toBeLessThanOrEqual(at3.anyGold);
  }, 600_000);
});
