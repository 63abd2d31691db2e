// The BM25 passage index (core/store/passage-index.ts) at scale: build rate, index size, open
// time, query latency (warm, and cold straight after opening), how often a query finds the passage it was taken from, and whether each
// top 10 is exactly BM25's (checked against scoring every passage that holds a query term, read
// straight from the stored postings), over synthetic passages (seeded; words drawn from a
// Zipf-like vocabulary so common words are common, as in real text).
// Goals: build >= 5,000 passages/s, query p95 <= 50 ms, on 2 cores, with exact BM25 rankings.
// TANDEM_BENCH_PASSAGES sets the corpus size (default 1,000,000).

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Passage } from '../core/datasets/passage-corpus.ts';
import { bm25Idf } from '../core/store/bm25-top-k.ts';
import { buildPassageIndex, PassageIndex, type ScoredPassage } from '../core/store/passage-index.ts';
import { queryTerms } from '../core/store/passage-terms.ts';
import { END, PostingCursor } from '../core/store/postings.ts';
import { Rng } from '../core/util/random.ts';
import { atLeast, atMost, info, percentile, type BenchResult } from './lib.ts';

const VOCABULARY = 50_000;
const QUERIES = 200;
/** Queries also scored exhaustively (every posting of every query term). */
const CHECKED = 50;
/** Other queries run between the cold and the warm pass. */
const WARM_UP = 50;
const K = 10;

/** A word from a Zipf-like distribution over the vocabulary (rank r with weight ~ 1/r). */
function word(rng: Rng): string {
  const rank = Math.floor(Math.exp(rng.next() * Math.log(VOCABULARY)));
  return `w${rank.toString(36)}`;
}

function sentence(rng: Rng, words: number): string {
  return Array.from({ length: words }, () => word(rng)).join(' ');
}

export async function run(): Promise<BenchResult> {
  const count = Number(process.env.TANDEM_BENCH_PASSAGES ?? 1_000_000);
  const rng = new Rng(7);
  const passages: Passage[] = Array.from({ length: count }, (_, i) => ({ id: `p${i}`, title: sentence(rng, 3), text: sentence(rng, 60) }));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-retrieval-'));
  try {
    const file = path.join(dir, 'bench.sqlite');
    const started = performance.now();
    buildPassageIndex(file, passages);
    const buildSeconds = (performance.now() - started) / 1000;
    // Queries look like questions: a few words of one passage, plus two random words.
    const queries = Array.from({ length: QUERIES }, () => {
      const target = passages[rng.int(0, count - 1)]!;
      return { id: target.id, text: `what ${target.text.split(' ').slice(10, 16).join(' ')} ${sentence(rng, 2)}` };
    });
    const opening = performance.now();
    const index = PassageIndex.open(file);
    const openMs = performance.now() - opening;
    const latencies: number[] = [];
    const coldLatencies: number[] = [];
    const results: ScoredPassage[][] = [];
    let found = 0;
    try {
      // Cold: the queries straight after opening (the first searches also read the passage
      // lengths and compile the search's code); then warm: the same queries again, after WARM_UP others.
      for (const q of queries) {
        const t = performance.now();
        index.search(q.text, K);
        coldLatencies.push(performance.now() - t);
      }
      const other = new Rng(8);
      for (let i = 0; i < WARM_UP; i++) index.search(`what ${sentence(other, 8)}`, K);
      for (const q of queries) {
        const t = performance.now();
        const hits = index.search(q.text, K);
        latencies.push(performance.now() - t);
        results.push(hits);
        if (hits.some((h) => h.id === q.id)) found++;
      }
    } finally {
      index.close();
    }
    const exhaustive = exhaustiveBm25(file, count);
    let same = 0;
    const exhaustiveMs: number[] = [];
    for (let i = 0; i < CHECKED; i++) {
      const t = performance.now();
      const expected = exhaustive.search(queries[i]!.text, K);
      exhaustiveMs.push(performance.now() - t);
      const got = results[i]!.map((h) => `${h.id}:${h.score}`);
      if (JSON.stringify(got) === JSON.stringify(expected)) same++;
    }
    exhaustive.close();
    return {
      name: 'retrieval',
      rows: [
        atLeast('build rate', count / buildSeconds, 'passages/s', 5000),
        atMost(`query latency p95 (k = ${K}, exact BM25)`, percentile(latencies, 95), 'ms', 50),
        info('query latency p50', percentile(latencies, 50), 'ms'),
        info('query latency max', Math.max(...latencies), 'ms'),
        info('cold (the same queries first after open): latency p95', percentile(coldLatencies, 95), 'ms'),
        info('cold: latency p50', percentile(coldLatencies, 50), 'ms'),
        info('cold: first query', coldLatencies[0]!, 'ms'),
        atLeast(`top ${K} identical to exhaustive BM25 (${CHECKED} queries)`, same / CHECKED, 'share', 1),
        info(`source passage in the top ${K}`, found / QUERIES, 'share'),
        info('exhaustive BM25 (every posting scored): latency p50', percentile(exhaustiveMs, 50), 'ms'),
        info('open time', openMs, 'ms'),
        info('passages', count, 'passages'),
        info('build time', buildSeconds, 's'),
        info('index size', statSync(file).size / 2 ** 20, 'MiB'),
        info('index size per passage', statSync(file).size / count, 'bytes'),
      ],
      notes: [
        `${QUERIES} queries of 6 words from a random passage plus 'what' and 2 random words; 60-word passages, 3-word titles, a Zipf-like 50k-word vocabulary`,
        `latency: the ${QUERIES} queries run once straight after opening the index (cold), then, after ${WARM_UP} other queries, again (the goal's numbers)`,
        `the first ${CHECKED} queries are also scored exhaustively: every passage holding a query term, from the stored postings, sorted by score then passage number`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** BM25 the slow way: every posting of every query term scored, then sorted (ties by passage number). */
function exhaustiveBm25(file: string, passages: number) {
  const db = new Database(file, { readonly: true });
  const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
  const average = Number(meta.get('averageLength'));
  const blob = (db.prepare('SELECT lengths FROM passage_lengths').get() as { lengths: Buffer }).lengths;
  const lengths = new Uint32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  const termRow = db.prepare('SELECT passages, postings FROM terms WHERE term = ?');
  const idOf = db.prepare('SELECT id FROM passages WHERE rowid = ?');
  return {
    search(query: string, k: number): string[] {
      const tfs = new Map<number, number[]>();
      const terms = queryTerms(query).map((t) => termRow.get(t) as { passages: number; postings: Uint8Array } | undefined);
      terms.forEach((row, q) => {
        if (!row) return;
        for (const c = new PostingCursor(row.postings, row.passages); c.doc !== END; c.next()) {
          let counts = tfs.get(c.doc);
          if (!counts) tfs.set(c.doc, (counts = new Array<number>(terms.length).fill(0)));
          counts[q] = c.tf;
        }
      });
      const scored = [...tfs].map(([doc, counts]) => {
        let score = 0;
        counts.forEach((tf, q) => {
          if (tf > 0) score += (bm25Idf(passages, terms[q]!.passages) * (tf * 2.2)) / (tf + 1.2 * (1 - 0.75 + (0.75 * lengths[doc]!) / average));
        });
        return { doc, score };
      });
      scored.sort((a, b) => b.score - a.score || a.doc - b.doc);
      return scored.slice(0, k).map(({ doc, score }) => `${(idOf.get(doc) as { id: string }).id}:${score}`);
    },
    close: () => db.close(),
  };
}
