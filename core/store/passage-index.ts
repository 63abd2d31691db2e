// A BM25 passage index: one SQLite file per index, built once from a corpus and reused. A build
// writes a temporary file and renames it into place, so a failed or interrupted build leaves no
// index and an existing one untouched.
//
// The file holds the passages, their lengths in words, and an inverted index of its own: per term
// (passage-terms.ts: lower-cased, Porter-stemmed words, as FTS5's 'porter unicode61' tokenizer
// makes them) the passages that hold it with how often, in blocks that carry their highest BM25
// weight (postings.ts). A search reads only its terms' postings and finds the exact top k by
// BM25 (FTS5's formula: k1 = 1.2, b = 0.75, IDF floored at 1e-6) with block-max MaxScore
// (bm25-top-k.ts), which skips what frequent words cannot change: at a million passages FTS5's
// whole-query bm25() took over a second, this takes milliseconds, with the same ranking (but a
// term counts once however many query words stem to it, where FTS5 counts each word).

import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Passage } from '../datasets/passage-corpus.ts';
import { bm25Idf, topK, TopKScratch, type QueryTerm } from './bm25-top-k.ts';
import { openDatabase, type Db } from './database.ts';
import { StoreError } from './errors.ts';
import { queryTerms, wordsOf } from './passage-terms.ts';
import { PostingCursor } from './postings.ts';
import { PostingsCache, type TermPostingsRow } from './postings-cache.ts';
import { PostingsBuilder } from './postings-builder.ts';

export interface ScoredPassage extends Passage {
  /** BM25 relevance, higher is better (what SQLite FTS5's bm25() gives, negated). */
  score: number;
}

export interface PassageIndexInfo {
  file: string;
  passages: number;
  /** Where the corpus came from, as given to the build. */
  source: string | null;
  builtAt: number;
}

export interface BuildProgress {
  passages: number;
  total: number;
}

export interface BuildOptions {
  source?: string;
  onProgress?: (progress: BuildProgress) => void;
  /** Passages per transaction (and per progress report). */
  batchSize?: number;
}

/**
 * @deprecated Searches are exact BM25 and fast without a budget; `PassageIndex.open` still
 * accepts `scoringBudget` and ignores it. Kept so that older callers compile.
 */
export const SCORING_BUDGET = 100_000;

/** BM25 parameters (FTS5's bm25() defaults). */
const K1 = 1.2;
const B = 0.75;
/** The layout of the index file; an index of another format must be rebuilt. */
const FORMAT = 'postings-1';

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE passages (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, text TEXT NOT NULL);
  CREATE TABLE terms (term TEXT PRIMARY KEY, passages INTEGER NOT NULL, postings BLOB NOT NULL) WITHOUT ROWID;
  CREATE TABLE passage_lengths (id INTEGER PRIMARY KEY, lengths BLOB NOT NULL);
`;

/** Builds the index at `file` from the passages (replacing an index already there). */
export function buildPassageIndex(file: string, passages: readonly Passage[], options: BuildOptions = {}): PassageIndexInfo {
  const building = `${file}.building-${process.pid}`;
  removeDatabase(building);
  const batch = Math.max(1, options.batchSize ?? 10_000);
  const db = openDatabase(building);
  try {
    db.exec(SCHEMA);
    const postings = new PostingsBuilder();
    const insert = db.prepare('INSERT INTO passages (rowid, id, title, text) VALUES (?, ?, ?, ?)');
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const p = passages[i]!;
        insert.run(i + 1, p.id, p.title, p.text);
        postings.add(i + 1, [p.title, p.text]);
      }
    });
    for (let from = 0; from < passages.length; from += batch) {
      const to = Math.min(passages.length, from + batch);
      insertBatch(from, to);
      options.onProgress?.({ passages: to, total: passages.length });
    }
    const insertTerm = db.prepare('INSERT INTO terms (term, passages, postings) VALUES (?, ?, ?)');
    const terms = postings.finish(K1, B);
    const insertTerms = db.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        const next = terms.next();
        if (next.done) return false;
        insertTerm.run(next.value.term, next.value.passages, next.value.blob);
      }
      return true;
    });
    while (insertTerms());
    const lengths = postings.passageLengths();
    db.prepare('INSERT INTO passage_lengths (id, lengths) VALUES (1, ?)').run(Buffer.from(lengths.buffer, lengths.byteOffset, lengths.byteLength));
    const builtAt = Date.now();
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      setMeta.run('format', FORMAT);
      setMeta.run('passages', String(passages.length));
      setMeta.run('averageLength', String(postings.averageLength));
      setMeta.run('source', options.source ?? '');
      setMeta.run('builtAt', String(builtAt));
    })();
    // Closing the last connection checkpoints the WAL into the file and deletes it: one file to move.
    db.close();
    removeDatabase(file);
    renameSync(building, file);
    return { file, passages: passages.length, source: options.source ?? null, builtAt };
  } catch (error) {
    if (db.open) db.close();
    removeDatabase(building);
    throw error;
  }
}

interface PassageRow extends Passage {
  rowid: number;
}

export class PassageIndex {
  private readonly termRows: PostingsCache;
  private readonly passageRow: (doc: number) => Passage | undefined;
  private readonly lengthsRow: () => { lengths: Buffer } | undefined;
  /** What a search needs per passage, read at the first search so that opening (and listing) stays cheap. */
  private perPassage: { norm: Float64Array; scratch: TopKScratch } | null = null;

  private constructor(
    private readonly db: Db,
    readonly info: PassageIndexInfo,
    private readonly averageLength: number,
  ) {
    const term = db.prepare('SELECT passages, postings FROM terms WHERE term = ?');
    this.termRows = new PostingsCache((t) => term.get(t) as TermPostingsRow | undefined);
    const passage = db.prepare('SELECT id, title, text FROM passages WHERE rowid = ?');
    this.passageRow = (doc) => passage.get(doc) as PassageRow | undefined;
    const lengths = db.prepare('SELECT lengths FROM passage_lengths WHERE id = 1');
    this.lengthsRow = () => lengths.get() as { lengths: Buffer } | undefined;
  }

  /** Opens an index; `scoringBudget` is accepted for older callers and ignored (see SCORING_BUDGET). */
  static open(file: string, _options: { scoringBudget?: number } = {}): PassageIndex {
    if (!existsSync(file)) throw new StoreError('not-found', `no passage index at ${file}; build it first`);
    const db = openDatabase(file);
    try {
      const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
      if (meta.get('format') !== FORMAT) {
        throw new Error(`it was built by an older version of Tandem (format ${meta.get('format') ?? 'FTS5'}, not ${FORMAT}); build it again with tandem index build`);
      }
      const info: PassageIndexInfo = { file, passages: Number(meta.get('passages') ?? 0), source: meta.get('source') || null, builtAt: Number(meta.get('builtAt') ?? 0) };
      const stored = db.prepare('SELECT length(lengths) AS bytes FROM passage_lengths WHERE id = 1').get() as { bytes: number } | undefined;
      if (stored?.bytes !== (info.passages + 1) * 4) throw new Error(`its passage lengths do not cover its ${info.passages} passages`);
      return new PassageIndex(db, info, Number(meta.get('averageLength')));
    } catch (error) {
      db.close();
      throw new StoreError('open-failed', `${file} is not a passage index: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * The k passages that best match the query's words (any of them) by BM25, best first (equal
   * scores: the passage read first from the corpus first); [] for a query without words. The
   * ranking and scores are exactly those of scoring every passage that holds a query term.
   */
  search(query: string, k: number): ScoredPassage[] {
    if (k <= 0) return [];
    const terms: QueryTerm[] = [];
    for (const term of queryTerms(query)) {
      const row = this.termRows.get(term);
      if (row) terms.push({ idf: bm25Idf(this.info.passages, row.passages), cursor: new PostingCursor(row.postings, row.passages) });
    }
    const { norm, scratch } = this.searchState();
    return topK(terms, Math.min(k, this.info.passages), norm, K1, scratch).map(({ doc, score }) => {
      const p = this.passageRow(doc);
      if (!p) throw new StoreError('open-failed', `passage index ${this.info.file} has postings for passage ${doc}, which it does not hold; build it again`);
      return { id: p.id, title: p.title, text: p.text, score };
    });
  }

  close(): void {
    this.db.close();
  }

  private searchState(): { norm: Float64Array; scratch: TopKScratch } {
    if (this.perPassage) return this.perPassage;
    const row = this.lengthsRow()!;
    // A copy: the blob's bytes need not be 4-byte aligned in their buffer.
    const lengths = new Uint32Array(row.lengths.buffer.slice(row.lengths.byteOffset, row.lengths.byteOffset + row.lengths.byteLength));
    // k1·(1 − b + b·length/avgdl) per passage number, as the postings' block maxima were computed.
    const norm = new Float64Array(lengths.length);
    for (let d = 1; d < lengths.length; d++) norm[d] = K1 * (1 - B + (B * lengths[d]!) / this.averageLength);
    return (this.perPassage = { norm, scratch: new TopKScratch(this.info.passages) });
  }
}

/**
 * The query as an FTS5 expression: every word quoted (so FTS5 syntax in user text — quotes,
 * `NEAR`, `*`, `:` — is matched as text), joined with OR. The index no longer uses FTS5; this
 * stays for callers that search other FTS5 tables with a user's words.
 */
export function matchExpression(query: string): string | null {
  const words = [...new Set(wordsOf(query))];
  return words.length === 0 ? null : words.map((w) => `"${w}"`).join(' OR ');
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/** Where a workspace keeps its passage indexes: `indexes/<name>.sqlite` beside the database. */
export function passageIndexFile(workspaceDb: string, name: string): string {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(name) || name.includes('..')) {
    throw new StoreError('invalid-value', `index name "${name}" must start with a letter or digit and use only letters, digits, _, . and -`);
  }
  return path.join(path.dirname(path.resolve(workspaceDb)), 'indexes', `${name}.sqlite`);
}

/** The passage indexes of a workspace, by name; an unreadable file is listed with its problem. */
export function listPassageIndexes(workspaceDb: string): Array<{ name: string } & ({ info: PassageIndexInfo; problem?: never } | { info?: never; problem: string })> {
  const folder = path.join(path.dirname(path.resolve(workspaceDb)), 'indexes');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.sqlite'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.sqlite'.length);
      try {
        const index = PassageIndex.open(path.join(folder, f));
        try {
          return { name, info: index.info };
        } finally {
          index.close();
        }
      } catch (error) {
        return { name, problem: (error as Error).message };
      }
    });
}
