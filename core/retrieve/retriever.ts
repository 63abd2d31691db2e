// The one narrow interface every retrieval backend implements: a query and k in, the top k
// passages out. How a call was served (from a cache, after how many attempts, in how long) goes
// to an observer passed with the request, as for language models. Backends: the embedded BM25
// index (store/bm25-retriever.ts) and a ColBERTv2-compatible HTTP server (colbert-retriever.ts).

import type { RetrievedPassage } from '../contract/views/program.ts';

export type { RetrievedPassage };

export interface RetrieveRequest {
  query: string;
  k: number;
}

/** How one retrieval was served, reported by the layer that served it. */
export interface RetrieveInfo {
  cached: boolean;
  /** HTTP attempts made (1 for an embedded index; 0 for cache hits). */
  attempts: number;
  latencyMs: number;
}

export interface RetrieveOptions {
  signal?: AbortSignal;
  onRetrieveInfo?: (info: RetrieveInfo) => void;
}

export interface Retriever {
  /** Stable identity used in cache keys and traces, e.g. `bm25:hotpotqa` or `colbert:http://host/api/search`. */
  readonly id: string;
  /** The backend kind: `bm25`, `colbert`, or another a program registers. */
  readonly backend: string;
  retrieve(request: RetrieveRequest, options?: RetrieveOptions): Promise<RetrievedPassage[]>;
}
