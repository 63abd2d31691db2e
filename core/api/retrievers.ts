// The workspace's retrievers through the API: the BM25 passage indexes beside the database
// (listPassageIndexes reads each one's metadata; a file that cannot be opened is listed with its
// problem), their sizes on disk, and how a user builds one or names a ColBERTv2 server.

import { statSync } from 'node:fs';
import path from 'node:path';
import type { RetrieverList } from '../contract/views/index.ts';
import { listPassageIndexes } from '../store/passage-index.ts';
import type { ApiContext } from './context.ts';

export const BUILD_INDEX_COMMAND = 'tandem index build <corpus.jsonl> --name <name>';
export const RETRIEVER_SPEC_FORMS = ['bm25:<index>', 'colbert:<url>'];

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

export function listRetrievers(ctx: Pick<ApiContext, 'store'>): RetrieverList {
  const base = { buildCommand: BUILD_INDEX_COMMAND, specForms: [...RETRIEVER_SPEC_FORMS] };
  const dbFile = ctx.store.file;
  if (dbFile === ':memory:') return { dir: null, indexes: [], problems: [], ...base };
  const dir = path.join(path.dirname(path.resolve(dbFile)), 'indexes');
  const list: RetrieverList = { dir, indexes: [], problems: [], ...base };
  for (const entry of listPassageIndexes(dbFile)) {
    if (entry.info) {
      const { file, passages, source, builtAt } = entry.info;
      list.indexes.push({ name: entry.name, file, passages, source, builtAt, sizeBytes: sizeOf(file) });
    } else {
      list.problems.push({ name: entry.name, file: path.join(dir, `${entry.name}.sqlite`), problem: entry.problem });
    }
  }
  return list;
}
