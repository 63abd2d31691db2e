// Loads an evaluation's example results page by page as rows scroll into view: the list knows the
// total from the first page and asks for row ranges (`want`); only pages in (or near) the range
// are fetched, a few at a time, nearest the middle of the range first, so 100,000 rows never
// load at once. Page k is rows [k*PAGE_SIZE, (k+1)*PAGE_SIZE) and costs one request with that
// offset, whatever the filters and sort: a jump far down the list does not read the rows between.
import { getClient } from '../../api/client.ts';
import type { ExampleResultPage, ExampleResultRow, TandemApi } from '../../api/types.ts';

export const PAGE_SIZE = 200;
export const MAX_IN_FLIGHT = 3;

type ExampleResultsPageInput = Parameters<TandemApi['pageExampleResults']>[0];
export type ResultQuery = Omit<ExampleResultsPageInput, 'limit' | 'cursor' | 'offset'>;
export type Evaluation = ExampleResultPage['evaluation'];

/**
 * The pages to request now for rows start..end (inclusive): those not loaded or in flight, nearest
 * the middle of the range first, at most `slots`. Before the total is known only the range's first
 * page is asked for (its answer gives the total).
 */
export function pagesToFetch(start: number, end: number, total: number | null, busy: (page: number) => boolean, slots: number): number[] {
  if (slots <= 0) return [];
  const lastPage = total === null ? null : Math.ceil(total / PAGE_SIZE) - 1;
  if (lastPage !== null && lastPage < 0) return [];
  const clamp = (page: number) => (lastPage === null ? page : Math.min(page, lastPage));
  const first = clamp(Math.floor(Math.max(0, start) / PAGE_SIZE));
  if (total === null) return busy(first) ? [] : [first];
  const last = clamp(Math.floor(Math.max(0, end, start) / PAGE_SIZE));
  const middle = (first + last) / 2;
  const pages: number[] = [];
  for (let page = first; page <= last; page++) if (!busy(page)) pages.push(page);
  return pages.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle) || a - b).slice(0, slots);
}

export class ResultPager {
  total: number | null = null;
  evaluation: Evaluation | null = null;
  error: unknown = null;
  private readonly pages = new Map<number, ExampleResultRow[]>();
  private readonly inFlight = new Set<number>();
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

  /** Requests in flight now (never more than MAX_IN_FLIGHT). */
  get requests(): number {
    return this.inFlight.size;
  }

  /** Rows loaded so far, for finding a row by trace id. */
  findIndex(match: (row: ExampleResultRow) => boolean): number {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex(match);
      if (i >= 0) return page * PAGE_SIZE + i;
    }
    return -1;
  }

  /** Asks for rows start..end (inclusive); fetches what is missing, nearest the range's middle first. */
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
    const busy = (page: number) => this.pages.has(page) || this.inFlight.has(page);
    for (const page of pagesToFetch(this.wanted[0], this.wanted[1], this.total, busy, MAX_IN_FLIGHT - this.inFlight.size)) this.fetch(page);
  }

  private fetch(page: number): void {
    this.inFlight.add(page);
    const generation = this.generation;
    const input: ExampleResultsPageInput = { ...this.query, limit: PAGE_SIZE, offset: page * PAGE_SIZE };
    getClient()
      .pageExampleResults(input)
      .then(
        (result) => {
          if (generation !== this.generation) return;
          this.inFlight.delete(page);
          this.pages.set(page, result.rows);
          this.total ??= result.total;
          this.evaluation ??= result.evaluation;
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
}
