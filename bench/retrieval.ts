// The BM25 passage index (core/store/passage-index.ts) at scale: build rate, and query latency
// with how often a query finds the passage it was taken from, at the default scoring budget, at
// a fifth of it, and for the whole query (plain BM25 over every word), over synthetic passages
// (seeded; words drawn from a Zipf-like vocabulary so common words are common, as in real text).
// Goals: build >= 5,000 passages/s, query p95 <= 50 ms, on 2 cores.
// TANDEM_BENCH_PASSAGES sets the corpus size (default 1,000,000).

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Passage } from '../core/datasets/passage-corpus.ts';
import { buildPassageIndex, PassageIndex, SCORING_BUDGET } from '../core/store/passage-index.ts';
import { Rng } from '../core/util/random.ts';
import { atLeast, atMost, info, percentile, type BenchResult } from './lib.ts';

const VOCABULARY = 50_000;
const QUERIES = 200;

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
    const measure = (budget: number) => {
      const index = PassageIndex.open(file, { scoringBudget: budget });
      try {
        const latencies: number[] = [];
        let found = 0;
        for (const q of queries) {
          const t = performance.now();
          const hits = index.search(q.text, 10);
          latencies.push(performance.now() - t);
          if (hits.some((h) => h.id === q.id)) found++;
        }
        return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), found: found / QUERIES };
      } finally {
        index.close();
      }
    };
    const byDefault = measure(SCORING_BUDGET);
    const narrower = measure(SCORING_BUDGET / 5);
    const whole = measure(Number.POSITIVE_INFINITY);
    return {
      name: 'retrieval',
      rows: [
        atLeast('build rate', count / buildSeconds, 'passages/s', 5000),
        atMost(`query latency p95 (k = 10, scoring budget ${SCORING_BUDGET})`, byDefault.p95, 'ms', 50),
        info('query latency p50', byDefault.p50, 'ms'),
        info('source passage in the top 10', byDefault.found, 'share'),
        info(`budget ${SCORING_BUDGET / 5}: latency p95`, narrower.p95, 'ms'),
        info(`budget ${SCORING_BUDGET / 5}: latency p50`, narrower.p50, 'ms'),
        info(`budget ${SCORING_BUDGET / 5}: source passage in the top 10`, narrower.found, 'share'),
        info('whole query (plain BM25): latency p95', whole.p95, 'ms'),
        info('whole query (plain BM25): latency p50', whole.p50, 'ms'),
        info('whole query (plain BM25): source passage in the top 10', whole.found, 'share'),
        info('passages', count, 'passages'),
        info('build time', buildSeconds, 's'),
        info('index size', statSync(file).size / 2 ** 20, 'MiB'),
      ],
      notes: [`${QUERIES} queries of 6 words from a random passage plus 'what' and 2 random words; 60-word passages, 3-word titles, a Zipf-like 50k-word vocabulary`],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
