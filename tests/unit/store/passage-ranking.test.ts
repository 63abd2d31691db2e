// The passage index's top k is exactly BM25's: compared with scoring every passage by brute force
// in the test (random corpora over small vocabularies, so repeated words, duplicate passages and
// equal scores are common, and large enough that MaxScore skips most postings), and with SQLite
// FTS5's own bm25() over the same corpus.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Passage } from '../../../core/datasets/passage-corpus.ts';
import { buildPassageIndex, PassageIndex } from '../../../core/store/passage-index.ts';
import { queryTerms, termOf, wordsOf } from '../../../core/store/passage-terms.ts';
import { Rng } from '../../../core/util/random.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-ranking-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VOCABULARY = [
  'the', 'of', 'river', 'rivers', 'bridge', 'bridges', 'bridging', 'town', 'stone', 'century', 'king', 'kings', 'crown',
  'harbour', 'ship', 'shipping', 'lighthouse', 'quenby', 'elsmark', 'tromadue', 'north', 'south', 'mill', 'miller', 'grain',
];

/** A word drawn so that early words are common: rank r with weight about 1/r. */
function word(rng: Rng, vocabulary: readonly string[]): string {
  return vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.exp(rng.next() * Math.log(vocabulary.length + 1))) - 1)]!;
}

function corpus(seed: number, count: number, vocabulary: readonly string[]): Passage[] {
  const rng = new Rng(seed);
  const passages: Passage[] = [];
  for (let i = 0; i < count; i++) {
    // Every 7th passage repeats an earlier one word for word: equal scores, broken by corpus order.
    const copy = i % 7 === 6 ? passages[rng.int(0, i - 1)]! : null;
    const text = copy?.text ?? Array.from({ length: rng.int(1, 30) }, () => word(rng, vocabulary)).join(' ');
    passages.push({ id: `p${i}`, title: copy?.title ?? word(rng, vocabulary), text });
  }
  return passages;
}

const termsOfPassages = new WeakMap<readonly Passage[], string[][]>();

/** BM25 over every passage, as FTS5 defines it (k1 1.2, b 0.75, IDF floored at 1e-6), best first, ties by corpus order. */
function bruteForce(passages: readonly Passage[], query: string, k: number): Array<{ id: string; score: number }> {
  let docs = termsOfPassages.get(passages);
  if (!docs) termsOfPassages.set(passages, (docs = passages.map((p) => [...wordsOf(p.title), ...wordsOf(p.text)].map(termOf))));
  const average = docs.reduce((n, d) => n + d.length, 0) / docs.length;
  const terms = queryTerms(query);
  const idf = terms.map((t) => {
    const n = docs.filter((d) => d.includes(t)).length;
    const value = Math.log((docs.length - n + 0.5) / (n + 0.5));
    return value > 0 ? value : 1e-6;
  });
  const scored = docs.map((d, i) => {
    let score = 0;
    let matched = false;
    terms.forEach((t, q) => {
      const tf = d.filter((x) => x === t).length;
      if (tf === 0) return;
      matched = true;
      score += (idf[q]! * (tf * 2.2)) / (tf + 1.2 * (1 - 0.75 + (0.75 * d.length) / average));
    });
    return { i, id: passages[i]!.id, score, matched };
  });
  return scored
    .filter((s) => s.matched)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, k)
    .map(({ id, score }) => ({ id, score }));
}

function randomQuery(rng: Rng, vocabulary: readonly string[]): string {
  // Uniform picks (rare words as often as common ones), sometimes repeated, with syntax around them.
  return Array.from({ length: rng.int(1, 6) }, () => vocabulary[rng.int(0, vocabulary.length - 1)]!).join(rng.next() < 0.5 ? ' ' : ', "');
}

describe('passage ranking', () => {
  it('is brute-force BM25 over every passage: same passages, order and scores, ties included', () => {
    const passages = corpus(11, 400, VOCABULARY);
    const file = path.join(dir, 'small.sqlite');
    buildPassageIndex(file, passages);
    const index = PassageIndex.open(file);
    const rng = new Rng(5);
    try {
      const queries = ['bridge', 'the of', 'bridges bridge bridging river', 'the the the kings', 'lighthouse quenby zyzzyva', ...Array.from({ length: 60 }, () => randomQuery(rng, VOCABULARY))];
      let ties = 0;
      for (const query of queries) {
        for (const k of [1, 3, 10, 500]) {
          const expected = bruteForce(passages, query, k);
          const got = index.search(query, k).map(({ id, score }) => ({ id, score }));
          expect(got, `${query} (k = ${k})`).toEqual(expected);
          for (let i = 1; i < got.length; i++) if (got[i]!.score === got[i - 1]!.score) ties++;
        }
      }
      expect(ties).toBeGreaterThan(0);
    } finally {
      index.close();
    }
  });

  it('stays exact where most postings are skipped: many passages, many words, small k', () => {
    const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`);
    const passages = corpus(12, 6000, vocabulary);
    const file = path.join(dir, 'large.sqlite');
    buildPassageIndex(file, passages);
    const index = PassageIndex.open(file);
    const rng = new Rng(6);
    try {
      for (let q = 0; q < 40; q++) {
        // A passage's words and two random ones, as questions about a passage look.
        const source = wordsOf(passages[rng.int(0, passages.length - 1)]!.text).slice(0, 6).join(' ');
        const query = `${source} ${vocabulary[rng.int(0, 399)]} ${vocabulary[rng.int(0, 20)]}`;
        for (const k of [1, 10]) expect(index.search(query, k).map(({ id, score }) => ({ id, score })), query).toEqual(bruteForce(passages, query, k));
      }
    } finally {
      index.close();
    }
  });

  it('gives what SQLite FTS5\'s bm25() gives for the same corpus and words', () => {
    const passages = corpus(13, 300, VOCABULARY);
    const file = path.join(dir, 'fts5.sqlite');
    buildPassageIndex(file, passages);
    const index = PassageIndex.open(file);
    const db = new Database(':memory:');
    try {
      db.exec("CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize = 'porter unicode61 remove_diacritics 2')");
      const insert = db.prepare('INSERT INTO t (rowid, title, text) VALUES (?, ?, ?)');
      passages.forEach((p, i) => insert.run(i + 1, p.title, p.text));
      const fts5 = db.prepare('SELECT rowid, bm25(t) AS bm25 FROM t WHERE t MATCH ? ORDER BY bm25, rowid LIMIT ?');
      // One word per stem: FTS5 counts "bridge OR bridges" twice, the index once per term.
      for (const query of ['river', 'bridge town', 'the of king', 'harbour ship lighthouse north', 'mill grain stone century crown']) {
        const match = query.split(' ').map((w) => `"${w}"`).join(' OR ');
        const expected = (fts5.all(match, 10) as Array<{ rowid: number; bm25: number }>).map((r) => ({ id: passages[r.rowid - 1]!.id, score: -r.bm25 }));
        const got = index.search(query, 10);
        expect(got.map((h) => h.id), query).toEqual(expected.map((e) => e.id));
        got.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 9));
      }
    } finally {
      db.close();
      index.close();
    }
  });
});
