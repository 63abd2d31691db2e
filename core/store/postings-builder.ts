// Collects a passage index's postings in memory while its passages are read: each passage's
// words become term ids (a word's term is worked out once), the passage's term counts are
// appended to each term's growing byte buffer (varint passage gap, varint count), and its length
// in words is kept for BM25. finish() then cuts every term's postings into stored blocks
// (postings.ts), which needs the corpus's average length and so waits for the last passage.

import { decodePairs, encodePostings, putVarint } from './postings.ts';
import { termOf, wordsOf } from './passage-terms.ts';

export interface TermPostings {
  term: string;
  /** How many passages hold the term. */
  passages: number;
  blob: Uint8Array;
}

export class PostingsBuilder {
  private readonly termByWord = new Map<string, number>();
  private readonly idByTerm = new Map<string, number>();
  private readonly terms: string[] = [];
  private buffers: Uint8Array[] = [];
  private used: number[] = [];
  private lastDoc: number[] = [];
  private docCount: number[] = [];
  private counts = new Int32Array(1024);
  private lengths = new Uint32Array(1024);
  private passages = 0;
  private totalLength = 0;

  /** Adds passage number `doc` (1, 2, 3, … in order) made of the given texts. */
  add(doc: number, texts: readonly string[]): void {
    if (doc !== this.passages + 1) throw new Error(`passage ${doc} added after passage ${this.passages}; passages must be numbered 1, 2, 3, …`);
    const touched: number[] = [];
    let length = 0;
    for (const text of texts) {
      for (const word of wordsOf(text)) {
        length++;
        let id = this.termByWord.get(word);
        if (id === undefined) {
          id = this.idOf(termOf(word));
          this.termByWord.set(word, id);
        }
        const seen = this.counts[id]!;
        this.counts[id] = seen + 1;
        if (seen === 0) touched.push(id);
      }
    }
    for (const id of touched) {
      this.append(id, doc - this.lastDoc[id]!, this.counts[id]!);
      this.lastDoc[id] = doc;
      this.docCount[id]!++;
      this.counts[id] = 0;
    }
    if (doc >= this.lengths.length) {
      const grown = new Uint32Array(this.lengths.length * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[doc] = length;
    this.passages = doc;
    this.totalLength += length;
  }

  /** The passages' lengths in words, indexed by passage number (index 0 unused). */
  passageLengths(): Uint32Array {
    return this.lengths.subarray(0, this.passages + 1);
  }

  get averageLength(): number {
    return this.passages === 0 ? 0 : this.totalLength / this.passages;
  }

  /** Every term's stored postings, in term order, for BM25 with k1 and b; frees the buffers as it goes. */
  *finish(k1: number, b: number): Generator<TermPostings> {
    const average = this.averageLength;
    const norm = new Float64Array(this.passages + 1);
    for (let d = 1; d <= this.passages; d++) norm[d] = k1 * (1 - b + (b * this.lengths[d]!) / average);
    const order = this.terms.map((_, i) => i).sort((x, y) => (this.terms[x]! < this.terms[y]! ? -1 : this.terms[x]! > this.terms[y]! ? 1 : 0));
    let docs = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    for (const id of order) {
      const n = this.docCount[id]!;
      if (n > docs.length) {
        docs = new Int32Array(n * 2);
        tfs = new Int32Array(n * 2);
      }
      const bytes = this.buffers[id]!;
      const end = this.used[id]!;
      const decoded = decodePairs(bytes, 0, end, 0, docs, tfs);
      if (decoded !== n) throw new Error(`postings of term "${this.terms[id]}" decode to ${decoded} passages, not ${n}`);
      this.buffers[id] = EMPTY;
      yield { term: this.terms[id]!, passages: n, blob: encodePostings(docs, tfs, n, norm, k1) };
    }
  }

  private idOf(term: string): number {
    let id = this.idByTerm.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.idByTerm.set(term, id);
      this.terms.push(term);
      this.buffers.push(new Uint8Array(16));
      this.used.push(0);
      this.lastDoc.push(0);
      this.docCount.push(0);
      if (id >= this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    return id;
  }

  private append(id: number, gap: number, tf: number): void {
    let buffer = this.buffers[id]!;
    let at = this.used[id]!;
    if (at + 10 > buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      this.buffers[id] = buffer = grown;
    }
    at = putVarint(buffer, at, gap);
    this.used[id] = putVarint(buffer, at, tf);
  }
}

const EMPTY = new Uint8Array(0);
