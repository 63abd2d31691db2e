// The BM25 passage index on real SQLite files: building from a JSONL corpus, ranking, queries
// with FTS5 syntax in them, a bad corpus that writes nothing, a rebuild that replaces an index,
// an index of an older format. (passage-ranking.test.ts checks the ranking against brute force.)

import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPassageCorpus } from '../../../core/datasets/passage-corpus.ts';
import { buildPassageIndex, matchExpression, PassageIndex, passageIndexFile } from '../../../core/store/passage-index.ts';
import { writeLines } from '../../helpers/text-file.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-passages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CORPUS = [
  { id: 'a', title: 'Varnel Oskit', text: 'Varnel Oskit was born in Tromadue and later moved to the coast.' },
  { id: 'b', title: 'Tromadue', text: 'Tromadue is a town in the country of Elsmark, known for its bridges.' },
  { id: 'c', title: 'Elsmark', text: 'Elsmark is a small country whose capital is Quenby.' },
  { title: 'Bridges', text: 'Stone bridges were built across the river in the tenth century.' },
];

describe('passage corpus', () => {
  it('reads passages, giving a passage without an id its line number', async () => {
    const passages = await readPassageCorpus(writeLines(dir, 'ok.jsonl', CORPUS.map((p) => JSON.stringify(p))));
    expect(passages.map((p) => p.id)).toEqual(['a', 'b', 'c', '4']);
  });

  it.each([
    ['{"id": "a", "title": "T", "text": "x"}\n{"id": "a", "title": "U", "text": "y"}', /line 2 \(field "id"\): passage id "a" was already used on line 1/],
    ['{"title": "T", "text": "x"}\n{"title": "T"}', /line 2 \(field "text"\): missing required field "text"/],
    ['{"title": "T", "text": "x"}\n{"title": 3, "text": "y"}', /line 2 \(field "title"\): field must be a string/],
    ['{"title": "T", "text": "x"}\n{"title": "T", "text": "   "}', /line 2 \(field "text"\): passage text is empty/],
    ['{"title": "T", "text": "x"}\n{"title": "T", "text": "y"', /line 2, column \d+: invalid JSON/],
  ])('names the line of bad input: %s', async (text, message) => {
    await expect(readPassageCorpus(writeLines(dir, 'bad.jsonl', text.split('\n')))).rejects.toThrow(message);
  });
});

describe('passage index', () => {
  const file = path.join(dir, 'indexes', 'kb.sqlite');

  it('builds an index and ranks the passage that matches best first', async () => {
    const progress: number[] = [];
    const passages = await readPassageCorpus(writeLines(dir, 'kb.jsonl', CORPUS.map((p) => JSON.stringify(p))));
    const info = buildPassageIndex(file, passages, { source: 'kb.jsonl', batchSize: 3, onProgress: (p) => progress.push(p.passages) });
    expect(info).toMatchObject({ file, passages: 4, source: 'kb.jsonl' });
    expect(progress).toEqual([3, 4]);
    expect(readdirSync(path.dirname(file))).toEqual(['kb.sqlite']);

    const index = PassageIndex.open(file);
    try {
      expect(index.info).toMatchObject({ passages: 4, source: 'kb.jsonl' });
      expect(index.search('Where was Varnel Oskit born?', 2).map((h) => h.id)).toEqual(['a']);
      const hits = index.search('Varnel Oskit of Tromadue', 2);
      expect(hits.map((h) => h.id)).toEqual(['a', 'b']);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits[0]).toMatchObject({ title: 'Varnel Oskit', text: CORPUS[0]!.text });
      // Stemming: "bridge" finds "bridges".
      expect(index.search('bridge', 5).map((h) => h.id).sort()).toEqual(['4', 'b']);
      expect(index.search('capital of Elsmark', 1).map((h) => h.id)).toEqual(['c']);
    } finally {
      index.close();
    }
  });

  it('treats FTS5 syntax in a query as words, and a query without words as no match', () => {
    const index = PassageIndex.open(file);
    try {
      for (const query of ['"Tromadue', 'NEAR(bridges town)', 'title:Elsmark', 'Quenby*', 'AND OR NOT', '(^_^)']) {
        expect(() => index.search(query, 3), query).not.toThrow();
      }
      expect(index.search('title:Elsmark', 3).map((h) => h.id)).toContain('c');
      expect(index.search('?!', 3)).toEqual([]);
      expect(index.search('nothing matches zyzzyva', 3)).toEqual([]);
    } finally {
      index.close();
    }
    expect(matchExpression('Quenby* "x"')).toBe('"quenby" OR "x"');
  });

  it('leaves no index when a build fails, and replaces an index on rebuild', () => {
    const other = path.join(dir, 'indexes', 'broken.sqlite');
    const poisoned = [{ id: 'x', title: 't', text: 'fine' }, null as unknown as { id: string; title: string; text: string }];
    expect(() => buildPassageIndex(other, poisoned)).toThrow();
    expect(existsSync(other)).toBe(false);
    expect(readdirSync(path.dirname(other)).filter((f) => f.startsWith('broken'))).toEqual([]);

    buildPassageIndex(file, [{ id: 'z', title: 'Only', text: 'a single passage about lighthouses' }]);
    const index = PassageIndex.open(file);
    try {
      expect(index.info.passages).toBe(1);
      expect(index.search('lighthouses', 3).map((h) => h.id)).toEqual(['z']);
    } finally {
      index.close();
    }
  });

  it('ranks a rare word first among common ones, and still ranks a query of words every passage holds', () => {
    const big = path.join(dir, 'indexes', 'big.sqlite');
    const passages = Array.from({ length: 1500 }, (_, i) => ({ id: `f${i}`, title: `Filler ${i}`, text: `the record number ${i} of the archive` }));
    passages.push({ id: 'target', title: 'Lighthouse', text: 'the zyzzyva lighthouse of the archive' });
    buildPassageIndex(big, passages);
    // scoringBudget is accepted from older callers and changes nothing.
    const index = PassageIndex.open(big, { scoringBudget: 1000 });
    try {
      const hits = index.search('the zyzzyva of the archive', 3);
      expect(hits.map((h) => h.id)[0]).toBe('target');
      expect(hits).toHaveLength(3);
      // Only words every passage holds: still ranked, the passage with "the" twice first, then corpus order.
      expect(index.search('the archive', 3).map((h) => h.id)).toEqual(['target', 'f0', 'f1']);
      expect(index.search('record 17', 1).map((h) => h.id)).toEqual(['f17']);
      // A word no passage holds matches nothing.
      expect(index.search('zzzz-unknown', 2)).toEqual([]);
      expect(index.search('zyzzyva', 0)).toEqual([]);
    } finally {
      index.close();
    }
  });

  it('builds and searches an index of no passages, and of a passage without words', () => {
    const empty = path.join(dir, 'indexes', 'empty.sqlite');
    buildPassageIndex(empty, []);
    let index = PassageIndex.open(empty);
    try {
      expect(index.info.passages).toBe(0);
      expect(index.search('anything', 5)).toEqual([]);
    } finally {
      index.close();
    }
    buildPassageIndex(empty, [{ id: 'x', title: '', text: '!!!' }, { id: 'y', title: 'Lighthouse', text: 'lighthouse keeper' }]);
    index = PassageIndex.open(empty);
    try {
      expect(index.search('lighthouses', 5).map((h) => h.id)).toEqual(['y']);
      expect(index.search('!!!', 5)).toEqual([]);
    } finally {
      index.close();
    }
  });

  it('refuses an index file of an older format, saying to build it again', () => {
    const old = path.join(dir, 'indexes', 'old.sqlite');
    // Its own folder: the test must not rely on an earlier test having made it.
    mkdirSync(path.dirname(old), { recursive: true });
    const db = new Database(old);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('passages', '3')");
    db.close();
    expect(() => PassageIndex.open(old)).toThrow(/old\.sqlite is not a passage index: it was built by an older version of Tandem .*build it again/);
    rmSync(old);
  });

  it('keeps indexes beside the workspace database, under names that cannot leave the folder', () => {
    expect(passageIndexFile('/w/.tandem/tandem.db', 'wiki-2017')).toBe('/w/.tandem/indexes/wiki-2017.sqlite');
    for (const name of ['../x', '.hidden', 'a/b', 'a\\b', '', 'x..y']) expect(() => passageIndexFile('/w/tandem.db', name), name).toThrow(/index name/);
    expect(() => PassageIndex.open(path.join(dir, 'none.sqlite'))).toThrow(/no passage index/);
  });
});
