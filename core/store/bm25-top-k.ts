// The k best passages of a query by BM25, exactly, without scoring every passage a query term is
// in (MaxScore, with block maxima). Each term bounds what it can add to any passage (its IDF times
// its highest weight). The search
//  1. adds up the terms' scores per passage, rarest (highest bound) first, until the bounds of
//     the terms left together cannot lift a passage that holds none of the added terms past the
//     k-th best partial score (a floor of the k-th best full score, as scores only grow);
//  2. keeps the passages whose partial score plus those bounds can still beat that floor;
//  3. looks each one up, in passage order, in the terms left, largest bound first, while its
//     bound (per block of postings where known, without decoding the block) can still beat the
//     k-th best so far, and scores the survivors in full.
// Frequent words thus cost a skim over their block headers, not a score per passage. A passage's
// score is summed over the query's terms in query order, so scores are exactly those of scoring
// every passage, and equal scores rank the lower passage number first.

import { TopScores, type PostingCursor } from './postings.ts';

export interface QueryTerm {
  /** BM25 inverse document frequency. */
  idf: number;
  cursor: PostingCursor;
}

export interface ScoredDoc {
  doc: number;
  score: number;
}

/** BM25 IDF as SQLite FTS5 computes it: ln((N − n + 0.5) / (n + 0.5)), and 1e-6 where that is not positive. */
export function bm25Idf(passages: number, holding: number): number {
  const idf = Math.log((passages - holding + 0.5) / (holding + 0.5));
  return idf > 0 ? idf : 1e-6;
}

/** Per-passage working memory of a search, reused between searches of one index. */
export class TopKScratch {
  readonly scores: Float32Array;
  readonly touched: Int32Array;
  constructor(passages: number) {
    this.scores = new Float32Array(passages + 1);
    this.touched = new Int32Array(passages + 1);
  }
}

/**
 * The k best passages for the terms (in query order), best first. `norm[doc]` is
 * k1·(1 − b + b·length/avgdl), the same the postings' block maxima were computed with.
 */
export function topK(terms: readonly QueryTerm[], k: number, norm: Float64Array, k1: number, scratch: TopKScratch): ScoredDoc[] {
  const n = terms.length;
  if (n === 0 || k <= 0) return [];
  // By bound, descending: what the rarest terms add comes first.
  const order = terms.map((_, i) => i).sort((a, b) => bound(terms[b]!) - bound(terms[a]!) || a - b);
  const idfs = order.map((i) => terms[i]!.idf);
  const rest = new Float64Array(n + 1); // rest[j]: the bounds of sorted terms j.. together
  for (let j = n - 1; j >= 0; j--) rest[j] = rest[j + 1]! + bound(terms[order[j]!]!);
  const { scores, touched } = scratch;
  let count = 0;
  let threshold = -Infinity;
  // A bound within 1e-5 (relative) of the threshold is not pruned: bounds are sums in another order than
  // scores, and the partial scores of step 1 are kept in single precision (half the memory to
  // touch; they only decide what to skip, never a score returned).
  const beaten = (b: number) => b + 1e-5 * (1 + Math.abs(threshold)) <= threshold;
  try {
    // 1. Add up the terms, rarest first, while a passage holding none of them could still make the top k.
    let added = 0;
    const top = new TopScores(k);
    while (added < n && !beaten(rest[added]!)) {
      count = terms[order[added]!]!.cursor.clone().addAll(idfs[added]!, k1, norm, scores, touched, count, top);
      added++;
      threshold = top.least;
    }
    // 2. The passages whose partial score and what the other terms could add beat the k-th partial score, in passage order.
    const left = rest[added]!;
    let candidates = 0;
    for (let i = 0; i < count; i++) {
      const doc = touched[i]!;
      if (!beaten(scores[doc]! + left)) touched[candidates++] = doc;
      else scores[doc] = 0;
    }
    count = candidates; // the passages whose scores are still to be cleared
    const docs = touched.subarray(0, candidates).sort();
    // 3. Each candidate looks up the other terms while it can still beat the k-th best; survivors are scored in full.
    const probes = order.map((i) => (order.indexOf(i) < added ? terms[i]!.cursor.clone() : terms[i]!.cursor));
    const tfs = new Int32Array(n); // by query position
    const kf = k1 + 1;
    const best: ScoredDoc[] = []; // ascending: best[0] is the k-th best once full
    for (const doc of docs) {
      let partial = scores[doc]!;
      if (beaten(partial + left)) continue;
      let pruned = false;
      for (let j = added; j < n; j++) {
        if (beaten(partial + rest[j]!)) {
          pruned = true;
          break;
        }
        const c = probes[j]!;
        c.skipTo(doc);
        if (beaten(partial + idfs[j]! * c.blockMax() + rest[j + 1]!)) {
          pruned = true;
          break;
        }
        c.seek(doc);
        if (c.doc === doc) partial += (idfs[j]! * (c.tf * kf)) / (c.tf + norm[doc]!);
      }
      if (pruned) continue;
      // The score summed in query order, as scoring every passage would.
      for (let j = 0; j < n; j++) {
        const c = probes[j]!;
        c.seek(doc);
        tfs[order[j]!] = c.doc === doc ? c.tf : 0;
      }
      let score = 0;
      for (let q = 0; q < n; q++) {
        const tf = tfs[q]!;
        if (tf > 0) score += (terms[q]!.idf * (tf * kf)) / (tf + norm[doc]!);
      }
      // Candidates come in passage order, so one that only ties the k-th best loses the tie.
      if (best.length < k || score > best[0]!.score) {
        insert(best, { doc, score }, k);
        if (best.length === k && best[0]!.score > threshold) threshold = best[0]!.score;
      }
    }
    return best.reverse();
  } finally {
    for (let i = 0; i < count; i++) scores[touched[i]!] = 0;
  }
}

function bound(term: QueryTerm): number {
  return term.idf * term.cursor.maxWeight;
}

/** Keeps `best` ascending by score (a later passage below an earlier one of equal score), at most k long. */
function insert(best: ScoredDoc[], item: ScoredDoc, k: number): void {
  let i = best.length;
  best.push(item);
  // Move down past entries it beats: a higher score, or an equal score with a lower passage number.
  while (i > 0 && (best[i - 1]!.score > item.score || (best[i - 1]!.score === item.score && best[i - 1]!.doc < item.doc))) {
    best[i] = best[i - 1]!;
    i--;
  }
  best[i] = item;
  if (best.length > k) best.shift();
}
