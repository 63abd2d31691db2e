// A term's postings as stored in a passage index: the passages that hold the term (ascending
// passage numbers) with how often, cut into blocks of BLOCK postings so a search can skip blocks
// it does not need without decoding them. The blob is
//
//   u32 block count, then per block: u32 last passage, u32 end of its bytes (from the data start),
//   f64 the block's highest BM25 term weight tf·(k1+1) / (tf + k1·(1 − b + b·length/avgdl));
//   then the blocks' postings, each a varint passage gap (from the posting before, or from the
//   previous block's last passage) and a varint term count.
//
// The block maxima let a search bound what a term can add to any passage in a block (block-max
// MaxScore in bm25-top-k.ts); the weight depends on k1, b and the corpus's average length, fixed
// when the index is built.

export const BLOCK = 128;
const HEADER = 16;
/** Past the last passage: a cursor's `doc` once it has run out. */
export const END = 0x7fffffff;

/** Appends a varint to `out` at `at`, returning where the next byte goes (out must have room). */
export function putVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[at++] = value;
  return at;
}

/**
 * Encodes postings (ascending docs, their term counts) into the stored blob; `norm[doc]` is
 * k1·(1 − b + b·length/avgdl) of each passage and `k1` the BM25 k1.
 */
export function encodePostings(docs: ArrayLike<number>, tfs: ArrayLike<number>, count: number, norm: Float64Array, k1: number): Uint8Array {
  const blocks = Math.ceil(count / BLOCK);
  const dataStart = 4 + blocks * HEADER;
  const out = new Uint8Array(dataStart + count * 10);
  const view = new DataView(out.buffer);
  view.setUint32(0, blocks, true);
  let at = dataStart;
  let previous = 0;
  for (let block = 0; block < blocks; block++) {
    const from = block * BLOCK;
    const to = Math.min(count, from + BLOCK);
    let max = 0;
    for (let i = from; i < to; i++) {
      const doc = docs[i]!;
      const tf = tfs[i]!;
      const weight = (tf * (k1 + 1)) / (tf + norm[doc]!);
      if (weight > max) max = weight;
      at = putVarint(out, at, doc - previous);
      at = putVarint(out, at, tf);
      previous = doc;
    }
    const header = 4 + block * HEADER;
    view.setUint32(header, previous, true);
    view.setUint32(header + 4, at - dataStart, true);
    view.setFloat64(header + 8, max, true);
  }
  return out.subarray(0, at);
}

/**
 * The k highest scores offered, one per passage (a passage offered again has its score raised,
 * never lowered): a min-heap of k entries with each passage's place in it.
 */
export class TopScores {
  /** The k-th highest score; -Infinity while fewer than k passages were offered. */
  least = -Infinity;
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  private readonly places = new Map<number, number>();
  private size = 0;

  constructor(private readonly k: number) {
    this.docs = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  offer(doc: number, score: number): void {
    const place = this.places.get(doc);
    if (place !== undefined) {
      this.scores[place] = score;
      this.down(place);
    } else if (this.size < this.k) {
      this.set(this.size, doc, score);
      this.up(this.size++);
    } else {
      this.places.delete(this.docs[0]!);
      this.set(0, doc, score);
      this.down(0);
    }
    if (this.size === this.k) this.least = this.scores[0]!;
  }

  private set(at: number, doc: number, score: number): void {
    this.docs[at] = doc;
    this.scores[at] = score;
    this.places.set(doc, at);
  }

  private up(at: number): void {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.scores[parent]! <= this.scores[at]!) return;
      this.swap(at, parent);
      at = parent;
    }
  }

  private down(at: number): void {
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) return;
      const child = left + 1 < this.size && this.scores[left + 1]! < this.scores[left]! ? left + 1 : left;
      if (this.scores[at]! <= this.scores[child]!) return;
      this.swap(at, child);
      at = child;
    }
  }

  private swap(a: number, b: number): void {
    const doc = this.docs[a]!;
    const score = this.scores[a]!;
    this.set(a, this.docs[b]!, this.scores[b]!);
    this.set(b, doc, score);
  }
}

/**
 * Walks one term's postings in passage order. `doc` and `tf` are the current posting (`doc` is
 * END after the last). `skipTo(target)` moves onto the block that may hold `target` without
 * decoding it, so its `blockMax()` can be checked before paying for `seek(target)`.
 */
export class PostingCursor {
  doc = 0;
  tf = 0;
  /** The highest weight of any posting (see the file header). */
  readonly maxWeight: number;
  readonly length: number;
  private readonly bytes: Uint8Array;
  private readonly dataStart: number;
  private readonly lastDocs: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly maxima: Float64Array;
  private block = 0;
  private decoded = -1;
  private readonly docs = new Int32Array(BLOCK);
  private readonly counts = new Int32Array(BLOCK);
  private size = 0;
  private at = 0;

  /** A fresh cursor over the same postings, at their start. */
  clone(): PostingCursor {
    return new PostingCursor(this.bytes, this.length);
  }

  constructor(blob: Uint8Array, length: number) {
    this.bytes = blob;
    this.length = length;
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const blocks = view.getUint32(0, true);
    this.dataStart = 4 + blocks * HEADER;
    this.lastDocs = new Uint32Array(blocks);
    this.ends = new Uint32Array(blocks);
    this.maxima = new Float64Array(blocks);
    let max = 0;
    for (let b = 0; b < blocks; b++) {
      const header = 4 + b * HEADER;
      this.lastDocs[b] = view.getUint32(header, true);
      this.ends[b] = view.getUint32(header + 4, true);
      const m = view.getFloat64(header + 8, true);
      this.maxima[b] = m;
      if (m > max) max = m;
    }
    this.maxWeight = max;
    this.decodeBlock();
    this.load();
  }

  /**
   * Adds idf·weight of every posting from here on to `scores[doc]`, listing in `touched` (from
   * `count`) each passage whose score was 0, and keeping `top` the k highest scores; returns the
   * new count. `norm[doc]` and `k1` as in encodePostings. The cursor ends past its last posting.
   */
  addAll(idf: number, k1: number, norm: Float64Array, scores: Float32Array, touched: Int32Array, count: number, top: TopScores): number {
    const kf = idf * (k1 + 1);
    while (this.size > 0) {
      const docs = this.docs;
      const counts = this.counts;
      for (let i = this.at; i < this.size; i++) {
        const doc = docs[i]!;
        const tf = counts[i]!;
        const before = scores[doc]!;
        if (before === 0) touched[count++] = doc;
        const after = before + (kf * tf) / (tf + norm[doc]!);
        scores[doc] = after;
        if (after > top.least) top.offer(doc, after);
      }
      this.block++;
      this.decodeBlock();
    }
    this.load();
    return count;
  }

  /** The highest weight in the block `doc` or the last skipTo target lies in (0 past the end). */
  blockMax(): number {
    return this.block < this.maxima.length ? this.maxima[this.block]! : 0;
  }

  /** Moves to the block that would hold `target` (no decoding); the cursor's doc may lag until seek. */
  skipTo(target: number): void {
    const blocks = this.lastDocs.length;
    while (this.block < blocks && this.lastDocs[this.block]! < target) this.block++;
  }

  /** The next posting. */
  next(): void {
    if (++this.at >= this.size) {
      this.block++;
      this.decodeBlock();
    }
    this.load();
  }

  /** The first posting at or after `target`. */
  seek(target: number): void {
    if (this.doc >= target) return;
    this.skipTo(target);
    if (this.decoded !== this.block) this.decodeBlock();
    while (this.at < this.size && this.docs[this.at]! < target) this.at++;
    this.load();
  }

  private load(): void {
    if (this.at < this.size) {
      this.doc = this.docs[this.at]!;
      this.tf = this.counts[this.at]!;
    } else {
      this.doc = END;
      this.tf = 0;
    }
  }

  private decodeBlock(): void {
    this.at = 0;
    this.size = 0;
    this.decoded = this.block;
    if (this.block >= this.lastDocs.length) return;
    const bytes = this.bytes;
    const at = this.dataStart + (this.block === 0 ? 0 : this.ends[this.block - 1]!);
    const end = this.dataStart + this.ends[this.block]!;
    const doc = this.block === 0 ? 0 : this.lastDocs[this.block - 1]!;
    this.size = decodePairs(bytes, at, end, doc, this.docs, this.counts);
  }
}

/**
 * Decodes varint (passage gap, count) pairs from `bytes[at..end)` into `docs` and `counts`, the
 * passages counted on from `doc`; returns how many pairs. The one decoder of the pair format,
 * for searches (a block at a time) and for the build (a whole term's list).
 */
export function decodePairs(bytes: Uint8Array, at: number, end: number, doc: number, docs: Int32Array, counts: Int32Array): number {
  let n = 0;
  while (at < end) {
    let byte = bytes[at++]!;
    let gap = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[at++]!;
      gap |= (byte & 0x7f) << shift;
    }
    byte = bytes[at++]!;
    let tf = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[at++]!;
      tf |= (byte & 0x7f) << shift;
    }
    doc += gap;
    docs[n] = doc;
    counts[n] = tf;
    n++;
  }
  return n;
}
