// The stored postings of one term: what is encoded decodes back (large gaps and counts take
// several varint bytes), seeking lands on the first posting at or after the target, and each
// block reports the highest BM25 weight of its own postings, which the top-k search prunes by.

import { describe, expect, it } from 'vitest';
import { BLOCK, encodePostings, END, PostingCursor } from '../../../core/store/postings.ts';
import { Rng } from '../../../core/util/random.ts';

const K1 = 1.2;

function postings(seed: number, count: number) {
  const rng = new Rng(seed);
  const docs: number[] = [];
  const tfs: number[] = [];
  let doc = 0;
  for (let i = 0; i < count; i++) {
    // Gaps of one to four varint bytes.
    doc += i === 300 ? 2_500_000 : rng.next() < 0.1 ? rng.int(200, 40_000) : rng.int(1, 5);
    docs.push(doc);
    tfs.push(rng.next() < 0.05 ? rng.int(128, 70_000) : rng.int(1, 4));
  }
  const norm = new Float64Array(doc + 1);
  for (let d = 1; d <= doc; d += 1) norm[d] = K1 * (0.25 + 0.75 * (((d * 7919) % 97) + 3) / 50);
  return { docs, tfs, norm };
}

const weight = (tf: number, norm: number) => (tf * (K1 + 1)) / (tf + norm);

describe('postings', () => {
  const { docs, tfs, norm } = postings(1, 5 * BLOCK + 17);
  const blob = encodePostings(docs, tfs, docs.length, norm, K1);

  it('decode to what was encoded, in order', () => {
    const seen: Array<[number, number]> = [];
    for (const c = new PostingCursor(blob, docs.length); c.doc !== END; c.next()) seen.push([c.doc, c.tf]);
    expect(seen).toEqual(docs.map((d, i) => [d, tfs[i]]));
  });

  it('seek to the first posting at or after a target, across blocks', () => {
    const c = new PostingCursor(blob, docs.length);
    const rng = new Rng(2);
    let target = 0;
    while (target < docs[docs.length - 1]! + 10) {
      target += rng.int(1, 40_000);
      c.seek(target);
      const i = docs.findIndex((d) => d >= target);
      expect(c.doc, `target ${target}`).toBe(i < 0 ? END : docs[i]);
      if (i >= 0) expect(c.tf).toBe(tfs[i]);
    }
  });

  it('bound each block by the highest weight in it, and the list by the highest of all', () => {
    const c = new PostingCursor(blob, docs.length);
    const maxima: number[] = [];
    for (let b = 0; b * BLOCK < docs.length; b++) {
      const block = docs.slice(b * BLOCK, (b + 1) * BLOCK);
      maxima.push(Math.max(...block.map((d, i) => weight(tfs[b * BLOCK + i]!, norm[d]!))));
      // Skipping to a block's first passage, without decoding, gives that block's bound.
      c.skipTo(block[0]!);
      expect(c.blockMax(), `block ${b}`).toBe(maxima[b]);
    }
    c.skipTo(docs[docs.length - 1]! + 1);
    expect(c.blockMax()).toBe(0);
    expect(new PostingCursor(blob, docs.length).maxWeight).toBe(Math.max(...maxima));
  });

  it('hold a single posting, and a cursor copy starts from the beginning', () => {
    const one = new PostingCursor(encodePostings([42], [3], 1, norm, K1), 1);
    expect([one.doc, one.tf]).toEqual([42, 3]);
    one.next();
    expect(one.doc).toBe(END);
    const c = new PostingCursor(blob, docs.length);
    c.seek(docs[300]!);
    expect(c.clone().doc).toBe(docs[0]);
  });
});
