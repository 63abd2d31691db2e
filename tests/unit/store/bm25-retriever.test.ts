// The BM25 passage index as a Retriever, on a real index file in a workspace: its identity, the
// passages and info it reports, and opening an index by name, including a missing or bad one.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetrieveError, type RetrieveInfo } from '../../../core/retrieve/index.ts';
import { Bm25Retriever, openBm25Retriever } from '../../../core/store/bm25-retriever.ts';
import { buildPassageIndex, passageIndexFile } from '../../../core/store/passage-index.ts';
import { tempDir } from './helpers.ts';

const CORPUS = [
  { id: 'a', title: 'Varnel Oskit', text: 'Varnel Oskit was born in Tromadue and later moved to the coast.' },
  { id: 'b', title: 'Tromadue', text: 'Tromadue is a town in the country of Elsmark, known for its bridges.' },
  { id: 'c', title: 'Elsmark', text: 'Elsmark is a small country whose capital is Quenby.' },
];

const { dir, cleanup } = tempDir();
const workspaceDb = path.join(dir, 'workspace', 'tandem.db');
afterAll(() => cleanup());
beforeAll(() => {
  buildPassageIndex(passageIndexFile(workspaceDb, 'kb'), CORPUS, { source: 'kb.jsonl' });
});

function thrown(fn: () => unknown): RetrieveError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RetrieveError);
    return error as RetrieveError;
  }
  throw new Error('expected a RetrieveError');
}

describe('Bm25Retriever', () => {
  it('answers from the index with its passages, best first, and reports one attempt', async () => {
    const retriever = openBm25Retriever(workspaceDb, 'kb');
    try {
      expect(retriever).toBeInstanceOf(Bm25Retriever);
      expect(retriever.id).toBe('bm25:kb');
      expect(retriever.backend).toBe('bm25');
      const infos: RetrieveInfo[] = [];
      const passages = await retriever.retrieve({ query: 'Varnel Oskit of Tromadue', k: 2 }, { onRetrieveInfo: (i) => infos.push(i) });
      expect(passages.map((p) => p.id)).toEqual(['a', 'b']);
      expect(passages[0]).toEqual({ id: 'a', title: 'Varnel Oskit', text: CORPUS[0]!.text, score: expect.any(Number) });
      expect(Object.keys(passages[0]!).sort()).toEqual(['id', 'score', 'text', 'title']);
      expect(passages[0]!.score).toBeGreaterThan(passages[1]!.score);
      expect(infos).toHaveLength(1);
      expect(infos[0]).toMatchObject({ cached: false, attempts: 1 });
      expect(await retriever.retrieve({ query: '?!', k: 3 })).toEqual([]);
    } finally {
      retriever.close();
    }
  });

  it('refuses a cancelled search and a k that is not a positive integer', async () => {
    const retriever = openBm25Retriever(workspaceDb, 'kb');
    try {
      await expect(retriever.retrieve({ query: 'Elsmark', k: 1 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'cancelled', attempts: 0 });
      await expect(retriever.retrieve({ query: 'Elsmark', k: 0 })).rejects.toMatchObject({ kind: 'config' });
    } finally {
      retriever.close();
    }
  });

  it('says how to build a missing index and which ones exist', () => {
    const error = thrown(() => openBm25Retriever(workspaceDb, 'wiki'));
    expect(error.kind).toBe('index');
    expect(error.message).toBe(
      `no passage index named wiki in ${path.join(dir, 'workspace', 'indexes')} (there are: kb); build one with \`tandem index build <corpus.jsonl> --name wiki\``,
    );
    const empty = path.join(dir, 'empty', 'tandem.db');
    expect(thrown(() => openBm25Retriever(empty, 'wiki')).message).toContain('(there are none yet)');
  });

  it('reports a bad index name as config and a file that is not an index as index', () => {
    expect(thrown(() => openBm25Retriever(workspaceDb, '../kb')).kind).toBe('config');
    const other = path.join(dir, 'other', 'tandem.db');
    mkdirSync(path.join(dir, 'other', 'indexes'), { recursive: true });
    writeFileSync(passageIndexFile(other, 'junk'), 'not a database at all, just some text that is long enough to be a header');
    const error = thrown(() => openBm25Retriever(other, 'junk'));
    expect(error.kind).toBe('index');
    expect(error.message).toMatch(/cannot open passage index junk/);
  });
});
