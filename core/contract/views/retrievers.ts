// The workspace's retrievers as front ends see them: its BM25 passage indexes (built with
// `tandem index build`, searched by experiments as `bm25:<name>`), the ones that cannot be read,
// and how to build one. ColBERTv2 servers are not stored: an experiment names one as `colbert:<url>`.

/** A readable passage index of the workspace. */
export interface PassageIndexEntry {
  /** What an experiment's retriever names: `bm25:<name>`. */
  name: string;
  file: string;
  passages: number;
  /** Where the corpus came from, as given to the build; null when not recorded. */
  source: string | null;
  /** Epoch milliseconds. */
  builtAt: number;
  /** Size of the index file on disk; null when it could not be read. */
  sizeBytes: number | null;
}

/** An index file that is there but cannot be searched (an older format, a damaged file). */
export interface PassageIndexProblem {
  name: string;
  file: string;
  problem: string;
}

export interface RetrieverList {
  /** The workspace folder the indexes live in (`indexes/` beside the database); null for an in-memory workspace. */
  dir: string | null;
  indexes: PassageIndexEntry[];
  problems: PassageIndexProblem[];
  /** The command that builds an index into this workspace. */
  buildCommand: string;
  /** How an experiment names each kind of retriever, e.g. `bm25:<index>`, `colbert:<url>`. */
  specForms: string[];
}
