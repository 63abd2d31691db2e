// The workspace's retrievers through core/api (and its callMethod, as transports call it): none
// before a build, a real BM25 index built into the workspace's indexes/ folder listed with its
// passages, source, build time and size, and an unreadable index file listed with its problem.

import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrieverList } from '../../core/contract/views/index.ts';
import { buildPassageIndex, passageIndexFile } from '../../core/store/passage-index.ts';
import { apiError, openWorkspace, type Workspace } from '../unit/api/helpers.ts';

let ws: Workspace;
beforeAll(() => {
  ws = openWorkspace();
});
afterAll(async () => {
  await ws?.close();
});

const PASSAGES = [
  { id: 'p1', title: 'Ada Lovelace', text: 'Ada Lovelace wrote the first published program for the Analytical Engine.' },
  { id: 'p2', title: 'Analytical Engine', text: 'The Analytical Engine was a mechanical computer designed by Charles Babbage.' },
  { id: 'p3', title: 'Charles Babbage', text: 'Charles Babbage was an English mathematician and mechanical engineer.' },
];

describe('listRetrievers', () => {
  it('lists nothing before an index is built, and says how to build one', async () => {
    const list = await ws.api.listRetrievers();
    expect(list.dir).toBe(path.join(ws.dir, 'indexes'));
    expect(list.indexes).toEqual([]);
    expect(list.problems).toEqual([]);
    expect(list.buildCommand).toBe('tandem index build <corpus.jsonl> --name <name>');
    expect(list.specForms).toEqual(['bm25:<index>', 'colbert:<url>']);
  });

  it('lists a built index with its passages, source, build time and size; a broken file with its problem', async () => {
    const file = passageIndexFile(ws.dbPath, 'tiny-wiki');
    mkdirSync(path.dirname(file), { recursive: true });
    const before = Date.now();
    buildPassageIndex(file, PASSAGES, { source: '/data/tiny-wiki.jsonl' });
    writeFileSync(path.join(ws.dir, 'indexes', 'broken.sqlite'), 'not a database at all');

    const list = (await ws.api.callMethod('listRetrievers', {})) as RetrieverList;
    expect(list.indexes).toHaveLength(1);
    const [index] = list.indexes;
    expect(index).toMatchObject({ name: 'tiny-wiki', file, passages: 3, source: '/data/tiny-wiki.jsonl', sizeBytes: statSync(file).size });
    expect(index!.builtAt).toBeGreaterThanOrEqual(before - 1000);
    expect(index!.sizeBytes).toBeGreaterThan(0);
    expect(list.problems).toHaveLength(1);
    expect(list.problems[0]).toMatchObject({ name: 'broken', file: path.join(ws.dir, 'indexes', 'broken.sqlite') });
    expect(list.problems[0]!.problem.length).toBeGreaterThan(0);
  });

  it('takes no input', async () => {
    expect((await apiError(ws.api.callMethod('listRetrievers', { name: 'x' }))).code).toBe('invalid-input');
  });
});
