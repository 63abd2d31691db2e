// The retriever a run's Retrieve modules search, made from the spec: a workspace BM25 index
// (built on first use when it is the task's own default index) or a ColBERTv2-compatible server,
// behind the workspace's retrieval cache when the run uses caches, so a resumed or repeated run
// asks each query once.

import { existsSync } from 'node:fs';
import type { RetrieverSpec } from '../contract/retriever-spec.ts';
import { CachedRetriever } from '../retrieve/cached-retriever.ts';
import { ColbertRetriever } from '../retrieve/colbert-retriever.ts';
import type { Retriever } from '../retrieve/retriever.ts';
import { openBm25Retriever } from '../store/bm25-retriever.ts';
import { buildPassageIndex, passageIndexFile, type BuildProgress } from '../store/passage-index.ts';
import type { Store } from '../store/index.ts';
import type { Task } from '../tasks/task.ts';
import type { ExperimentSpec } from './experiment-spec.ts';

export interface RunRetriever {
  retriever: Retriever;
  close(): void;
}

export interface OpenRetrieverOptions {
  /** Told when the task's default index is being built (first use in this workspace). */
  onIndexBuild?: (message: string, progress?: BuildProgress) => void;
}

/** The retriever for the spec; undefined for tasks that do not retrieve. */
export async function openRunRetriever(spec: ExperimentSpec, task: Task, store: Store, options: OpenRetrieverOptions = {}): Promise<RunRetriever | undefined> {
  const wanted: RetrieverSpec | undefined = spec.retriever ?? (task.retrieval ? { backend: 'bm25', index: task.retrieval.defaultIndex(spec.dataPath) } : undefined);
  if (!wanted) return undefined;
  let inner: Retriever & { close(): void };
  if (wanted.backend === 'bm25') {
    await buildDefaultIndexIfMissing(wanted.index, spec, task, store, options);
    inner = openBm25Retriever(store.file, wanted.index);
  } else {
    inner = new ColbertRetriever({ url: wanted.url, timeoutMs: spec.lm.timeoutMs, maxRetries: spec.lm.maxRetries, maxConcurrency: spec.concurrency });
  }
  const retriever = spec.useCache ? new CachedRetriever(inner, store.retrievalCache) : inner;
  return { retriever, close: () => inner.close() };
}

async function buildDefaultIndexIfMissing(name: string, spec: ExperimentSpec, task: Task, store: Store, options: OpenRetrieverOptions): Promise<void> {
  const retrieval = task.retrieval;
  if (!retrieval || retrieval.defaultIndex(spec.dataPath) !== name) return;
  const file = passageIndexFile(store.file, name);
  if (existsSync(file)) return;
  const passages = await retrieval.corpus(spec.dataPath);
  options.onIndexBuild?.(`building passage index "${name}" from ${retrieval.describe(spec.dataPath)} (${passages.length} passages), once for this workspace`);
  buildPassageIndex(file, passages, { source: retrieval.describe(spec.dataPath), onProgress: (progress) => options.onIndexBuild?.('', progress) });
}
