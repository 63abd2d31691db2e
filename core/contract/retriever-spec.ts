// Which retriever a run's Retrieve modules search, as one line a user writes (`--retriever`, the
// workbench form, the API) and as the spec saves it: `bm25:<index>` (an index of the workspace,
// built with `tandem index build`) or `colbert:<url>` (a ColBERTv2-compatible server, the
// paper's setting). One grammar, here, for every front end.

export type RetrieverSpec = { backend: 'bm25'; index: string } | { backend: 'colbert'; url: string };

export const RETRIEVER_BACKENDS = ['bm25', 'colbert'] as const;

/** An index name as the workspace stores it (indexes/<name>.sqlite). */
export const INDEX_NAME = /^[A-Za-z0-9][\w.-]*$/;

export class RetrieverSpecError extends Error {
  override name = 'RetrieverSpecError';
}

export function parseRetrieverSpec(text: string): RetrieverSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const backend = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1).trim();
  if (backend === 'bm25') {
    if (!INDEX_NAME.test(rest) || rest.includes('..')) {
      throw new RetrieverSpecError(`"${text}": bm25 needs an index name (letters, digits, _, . and -), e.g. bm25:wiki`);
    }
    return { backend, index: rest };
  }
  if (backend === 'colbert') {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw new RetrieverSpecError(`"${text}": colbert needs the server's search URL, e.g. colbert:http://127.0.0.1:8893/api/search`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RetrieverSpecError(`"${text}": the ColBERT URL must be http or https`);
    return { backend, url: url.href };
  }
  throw new RetrieverSpecError(`"${text}": a retriever is bm25:<index> or colbert:<url>`);
}

export function retrieverSpecText(spec: RetrieverSpec): string {
  return spec.backend === 'bm25' ? `bm25:${spec.index}` : `colbert:${spec.url}`;
}
