// core/retrieve: retrieval backends behind one Retriever interface (ColBERTv2 over HTTP here, the
// embedded BM25 index in core/store), a result cache and the errors they raise.

export type { RetrievedPassage, RetrieveInfo, RetrieveOptions, RetrieveRequest, Retriever } from './retriever.ts';
export { RetrieveError, isRetrieveError, type RetrieveErrorKind } from './errors.ts';
export { ColbertRetriever, COLBERT_DEFAULTS, type ColbertRetrieverOptions } from './colbert-retriever.ts';
export { parseTopk, splitTitle } from './colbert-response.ts';
export { RetrieveLimiter } from './concurrency.ts';
export { backoffDelay, parseRetryAfter, type RetryNotice } from './retry.ts';
export { MemoryRetrievalCache, retrievalCacheKey, type RetrievalCache } from './retrieval-cache.ts';
export { CachedRetriever, type RetrievalCacheStats } from './cached-retriever.ts';
