// Keeps the largest postings a passage index has read in memory, up to a byte limit, least
// recently used out first. Frequent words ("the", "of") are in most queries and their postings are
// the longest (megabytes at a million passages), so reading them from SQLite again for every query
// would cost more than scoring them does; short postings are cheap to read and not kept.

export interface TermPostingsRow {
  /** How many passages hold the term. */
  passages: number;
  postings: Uint8Array;
}

export class PostingsCache {
  private readonly rows = new Map<string, TermPostingsRow>();
  private bytes = 0;

  constructor(
    private readonly read: (term: string) => TermPostingsRow | undefined,
    /** Postings shorter than this are read every time. */
    private readonly minBytes = 64 * 1024,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get(term: string): TermPostingsRow | undefined {
    const cached = this.rows.get(term);
    if (cached) {
      // Most recently used last.
      this.rows.delete(term);
      this.rows.set(term, cached);
      return cached;
    }
    const row = this.read(term);
    if (!row || row.postings.byteLength < this.minBytes || row.postings.byteLength > this.maxBytes) return row;
    this.rows.set(term, row);
    this.bytes += row.postings.byteLength;
    for (const [old, r] of this.rows) {
      if (this.bytes <= this.maxBytes) break;
      this.rows.delete(old);
      this.bytes -= r.postings.byteLength;
    }
    return row;
  }
}
