// Loads an evaluation's example results page by page as rows scroll into view: the list knows the
// total from the first page and asks for row ranges (`want`); only pages in (or near) the range
// are fetched, a few at a time, so 100,000 rows never load at once.
//
// pageExampleResults pages by keyset cursor, not offset: page k needs page k-1's nextCursor. A
// jump far ahead therefore walks the chain of pages in between — except for an unfiltered list
// in example order, where row i is example i and the cursor of any page can be computed
// (seek-cursor.ts), so a jump costs one request.
import { getClient } from '../../api/client.ts';
import type { ExampleResultPage, ExampleResultRow, TandemApi } from '../../api/types.ts';
import { seekCursor } from './seek-cursor.ts';

export const PAGE_SIZE = 200;
const MAX_IN_FLIGHT = 3;

type ExampleResultsPageInput = Parameters<TandemApi['pageExampleResults']>[0];
export type ResultQuery = Omit<ExampleResultsPageInput, 'limit' | 'cursor'>;
export type Evaluation = ExampleResultPage['evaluation'];

export class ResultPager {
  total: number | null = null;
  evaluation: Evaluation | null = null;
  error: unknown = null;
  /** While walking the cursor chain to a far range: rows read so far and the row wanted. */
  walk: { at: number; to: number } | null = null;
  private readonly pages = new Map<number, ExampleResultRow[]>();
  /** Cursor that fetches page k (page 0: none). */
  private readonly cursors = new Map<number, string | null>([[0, null]]);
  private readonly inFlight = new Set<number>();
  private readonly seeked = new Set<number>();
  private seekable = false;
  private wanted: [number, number] = [0, PAGE_SIZE - 1];
  /** Bumped by stop(): responses to requests of an earlier generation are dropped. */
  private generation = 0;
  private running = false;

  constructor(
    readonly query: ResultQuery,
    private readonly onChange: () => void,
  ) {}

  row(index: number): ExampleResultRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  get loading(): boolean {
    return this.inFlight.size > 0;
  }

  /** Rows loaded so far, for finding a row by trace id. */
  findIndex(match: (row: ExampleResultRow) => boolean): number {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex(match);
      if (i >= 0) return page * PAGE_SIZE + i;
    }
    return -1;
  }

  /** Asks for rows start..end (inclusive); fetches what is missing, nearest the range first. */
  want(start: number, end: number): void {
    this.wanted = [Math.max(0, start), Math.max(0, end)];
    this.pump();
  }

  /** Starts loading (the first page at once); stop() drops what is in flight (start again later). */
  start(): void {
    this.running = true;
    this.pump();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.inFlight.clear();
  }

  retry(): void {
    this.error = null;
    this.pump();
    this.onChange();
  }

  private pump(): void {
    if (!this.running || this.error) return;
    const last = this.total === null ? 0 : Math.max(0, Math.ceil(this.total / PAGE_SIZE) - 1);
    const first = Math.min(Math.floor(this.wanted[0] / PAGE_SIZE), last);
    const stop = Math.min(Math.floor(this.wanted[1] / PAGE_SIZE), last);
    this.walk = null;
    for (let page = first; page <= stop && this.inFlight.size < MAX_IN_FLIGHT; page++) {
      if (this.pages.has(page) || this.inFlight.has(page)) continue;
      if (this.cursors.has(page)) this.fetch(page, this.cursors.get(page) ?? null);
      else if (this.seekable && this.evaluation) this.fetch(page, seekCursor(this.evaluation, this.query.sort ?? 'index', page * PAGE_SIZE), true);
      else {
        // Walk the chain: fetch the furthest page whose cursor is known, then come back here.
        let known = page - 1;
        while (known > 0 && !this.cursors.has(known)) known--;
        if (!this.pages.has(known) && !this.inFlight.has(known)) this.fetch(known, this.cursors.get(known) ?? null);
        this.walk = { at: known * PAGE_SIZE, to: page * PAGE_SIZE };
        break;
      }
    }
  }

  private fetch(page: number, cursor: string | null, seek = false): void {
    this.inFlight.add(page);
    const generation = this.generation;
    const input: ExampleResultsPageInput = { ...this.query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    getClient()
      .pageExampleResults(input)
      .then(
        (result) => {
          if (generation !== this.generation) return;
          this.inFlight.delete(page);
          if (seek && !this.fitsSeek(result.rows, page)) {
            // The examples are not numbered 0..n-1: forget the guessed pages, walk the chain.
            this.seekable = false;
            for (const p of this.seeked) this.pages.delete(p);
            this.seeked.clear();
          } else {
            if (seek) this.seeked.add(page);
            this.pages.set(page, result.rows);
            if (result.nextCursor) this.cursors.set(page + 1, result.nextCursor);
            if (page === 0) this.firstPage(result);
          }
          this.onChange();
          this.pump();
        },
        (error: unknown) => {
          if (generation !== this.generation) return;
          this.inFlight.delete(page);
          this.error = error;
          this.onChange();
        },
      );
  }

  private firstPage(result: ExampleResultPage): void {
    this.total = result.total;
    this.evaluation = result.evaluation;
    const q = this.query;
    const ordered = q.sort === undefined || q.sort === 'index' || q.sort === 'index-desc';
    const unfiltered = q.passed === undefined && q.failed === undefined && !q.search;
    this.seekable = ordered && unfiltered && result.total === result.evaluation.n && this.fitsSeek(result.rows, 0);
  }

  /** Whether a page's rows sit where seeking assumed (row i is example i, or n-1-i descending). */
  private fitsSeek(rows: readonly ExampleResultRow[], page: number): boolean {
    const n = this.evaluation?.n ?? this.total ?? 0;
    const desc = this.query.sort === 'index-desc';
    return rows.every((r, j) => r.exampleIndex === (desc ? n - 1 - (page * PAGE_SIZE + j) : page * PAGE_SIZE + j));
  }
}
