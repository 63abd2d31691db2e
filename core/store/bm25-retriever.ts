// The embedded BM25 passage index (passage-index.ts) as a Retriever, and opening one of a
// workspace's indexes by name with an error that says how to build it when it is missing.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RetrievedPassage } from '../contract/views/program.ts';
import { RetrieveError } from '../retrieve/errors.ts';
import type { RetrieveOptions, RetrieveRequest, Retriever } from '../retrieve/retriever.ts';
import { listPassageIndexes, PassageIndex, passageIndexFile } from './passage-index.ts';

export class Bm25Retriever implements Retriever {
  readonly id: string;
  readonly backend = 'bm25';

  constructor(
    readonly index: PassageIndex,
    readonly name: string,
  ) {
    this.id = `bm25:${name}`;
  }

  async retrieve(request: RetrieveRequest, options: RetrieveOptions = {}): Promise<RetrievedPassage[]> {
    const { signal, onRetrieveInfo } = options;
    if (signal?.aborted) {
      throw new RetrieveError('cancelled', `the search of index "${this.name}" was cancelled`, { attempts: 0, cause: signal.reason });
    }
    if (!Number.isInteger(request.k) || request.k < 1) throw new RetrieveError('config', `k must be a positive integer, got ${request.k}`);
    const startedAt = performance.now();
    let passages: RetrievedPassage[];
    try {
      passages = this.index.search(request.query, request.k).map(({ id, title, text, score }) => ({ id, title, text, score }));
    } catch (error) {
      throw new RetrieveError('index', `searching index "${this.name}" (${this.index.info.file}) failed: ${(error as Error).message}`, { cause: error });
    }
    onRetrieveInfo?.({ cached: false, attempts: 1, latencyMs: performance.now() - startedAt });
    return passages;
  }

  close(): void {
    this.index.close();
  }
}

/** Opens the workspace's index `name` (indexes/<name>.sqlite beside the database) as a retriever; the caller closes it. */
export function openBm25Retriever(workspaceDb: string, name: string): Bm25Retriever {
  let file: string;
  try {
    file = passageIndexFile(workspaceDb, name);
  } catch (error) {
    throw new RetrieveError('config', (error as Error).message, { cause: error });
  }
  if (!existsSync(file)) {
    const dir = path.dirname(file);
    const names = listPassageIndexes(workspaceDb).map((i) => i.name);
    const present = names.length === 0 ? 'there are none yet' : `there are: ${names.join(', ')}`;
    throw new RetrieveError('index', `no passage index named ${name} in ${dir} (${present}); build one with \`tandem index build <corpus.jsonl> --name ${name}\``);
  }
  let index: PassageIndex;
  try {
    index = PassageIndex.open(file);
  } catch (error) {
    throw new RetrieveError('index', `cannot open passage index ${name}: ${(error as Error).message}`, { cause: error });
  }
  return new Bm25Retriever(index, name);
}
