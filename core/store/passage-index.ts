// A BM25 passage index: one SQLite file per index (FTS5 over title and text, porter stemming),
// built once from a corpus and reused. A build writes a temporary file and renames it into place,
// so a failed or interrupted build leaves no index and an existing one untouched.
//
// FTS5 scores every passage a query term occurs in, so a word found in many passages ("the",
// "what") makes a query as slow as the corpus is large while adding little to BM25 (its IDF is
// small). The build therefore records how many passages hold each term, and a search ranks by its
// rarest words, adding words from rarest up while the passages to score stay within
// SCORING_BUDGET; only when those match fewer than k passages does the whole query fill the rest.

import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Passage } from '../datasets/passage-corpus.ts';
import { openDatabase, type Db } from './database.ts';
import { StoreError } from './errors.ts';

export interface ScoredPassage extends Passage {
  /** BM25 relevance, higher is better (SQLite's bm25() negated). */
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

/** The most term occurrences (passages holding a query word, summed over its words) a search scores. */
export const SCORING_BUDGET = 100_000;

const TOKENIZER = "tokenize = 'porter unicode61 remove_diacritics 2'";

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE term_passages (term TEXT PRIMARY KEY, passages INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE passages (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, text TEXT NOT NULL);
  CREATE VIRTUAL TABLE passages_fts USING fts5(title, text, content = 'passages', content_rowid = 'rowid', ${TOKENIZER});
`;

/** Builds the index at `file` from the passages (replacing an index already there). */
export function buildPassageIndex(file: string, passages: readonly Passage[], options: BuildOptions = {}): PassageIndexInfo {
  const building = `${file}.building-${process.pid}`;
  removeDatabase(building);
  const batch = Math.max(1, options.batchSize ?? 10_000);
  const db = openDatabase(building);
  try {
    db.exec(SCHEMA);
    const insert = db.prepare('INSERT INTO passages (rowid, id, title, text) VALUES (?, ?, ?, ?)');
    const insertFts = db.prepare('INSERT INTO passages_fts (rowid, title, text) VALUES (?, ?, ?)');
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const p = passages[i]!;
        insert.run(i + 1, p.id, p.title, p.text);
        insertFts.run(i + 1, p.title, p.text);
      }
    });
    for (let from = 0; from < passages.length; from += batch) {
      const to = Math.min(passages.length, from + batch);
      insertBatch(from, to);
      options.onProgress?.({ passages: to, total: passages.length });
    }
    const builtAt = Date.now();
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      setMeta.run('passages', String(passages.length));
      setMeta.run('source', options.source ?? '');
      setMeta.run('builtAt', String(builtAt));
    })();
    db.exec("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')");
    db.exec('CREATE VIRTUAL TABLE temp.passage_terms USING fts5vocab(main, passages_fts, row)');
    db.exec('INSERT INTO term_passages (term, passages) SELECT term, doc FROM temp.passage_terms');
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

export class PassageIndex {
  private readonly search_: (match: string, k: number) => Array<Passage & { bm25: number }>;
  private readonly passagesPerWord: (words: readonly string[]) => number[];

  private constructor(
    private readonly db: Db,
    readonly info: PassageIndexInfo,
    private readonly scoringBudget: number,
  ) {
    const statement = db.prepare(
      'SELECT p.id, p.title, p.text, bm25(passages_fts) AS bm25 FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ? ORDER BY bm25, p.rowid LIMIT ?',
    );
    this.search_ = (match, k) => statement.all(match, k) as Array<Passage & { bm25: number }>;
    // The query's words go through the index's own tokenizer (in a temporary table) to find the
    // terms they become, which are what term_passages counts.
    db.exec(`CREATE VIRTUAL TABLE temp.query_words USING fts5(word, ${TOKENIZER})`);
    db.exec('CREATE VIRTUAL TABLE temp.query_terms USING fts5vocab(temp, query_words, instance)');
    const clear = db.prepare('DELETE FROM temp.query_words');
    const add = db.prepare('INSERT INTO temp.query_words (rowid, word) VALUES (?, ?)');
    const counts = db.prepare('SELECT q.doc AS row, t.passages FROM temp.query_terms q JOIN term_passages t ON t.term = q.term');
    this.passagesPerWord = db.transaction((words: readonly string[]) => {
      clear.run();
      words.forEach((w, i) => add.run(i + 1, w));
      const out = words.map(() => 0);
      for (const r of counts.all() as Array<{ row: number; passages: number }>) out[r.row - 1] = r.passages;
      return out;
    });
  }

  static open(file: string, options: { scoringBudget?: number } = {}): PassageIndex {
    if (!existsSync(file)) throw new StoreError('not-found', `no passage index at ${file}; build it first`);
    const db = openDatabase(file);
    try {
      const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
      const info: PassageIndexInfo = { file, passages: Number(meta.get('passages') ?? 0), source: meta.get('source') || null, builtAt: Number(meta.get('builtAt') ?? 0) };
      return new PassageIndex(db, info, options.scoringBudget ?? SCORING_BUDGET);
    } catch (error) {
      db.close();
      throw new StoreError('open-failed', `${file} is not a passage index: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * The k passages that best match the query's words (any of them), best first; [] for a query
   * without words. Ranked by the rarest words within SCORING_BUDGET; only when those match fewer
   * than k passages does the whole query fill the rest (after them, best first).
   */
  search(query: string, k: number): ScoredPassage[] {
    const all = queryWords(query);
    if (all.length === 0 || k <= 0) return [];
    const counts = this.passagesPerWord(all);
    // Words no passage holds match nothing and cost nothing.
    const held = all.map((w, i) => ({ w, n: counts[i]! })).filter((c) => c.n > 0);
    if (held.length === 0) return [];
    const words = held.map((c) => c.w);
    const byRarity = [...held].sort((a, b) => a.n - b.n);
    const kept: string[] = [];
    let scored = 0;
    for (const { w, n } of byRarity) {
      if (kept.length > 0 && scored + n > this.scoringBudget) break;
      kept.push(w);
      scored += n;
    }
    const hits = kept.length < words.length ? this.search_(orOf(kept), k) : [];
    if (hits.length < k) {
      const seen = new Set(hits.map((h) => h.id));
      for (const h of this.search_(orOf(words), k)) if (hits.length < k && !seen.has(h.id)) hits.push(h);
    }
    return hits.map((r) => ({ id: r.id, title: r.title, text: r.text, score: -r.bm25 }));
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The query as an FTS5 expression: every word quoted (so FTS5 syntax in user text — quotes,
 * `NEAR`, `*`, `:` — is matched as text), joined with OR, which BM25 then ranks.
 */
export function matchExpression(query: string): string | null {
  const words = queryWords(query);
  return words.length === 0 ? null : orOf(words);
}

function orOf(words: readonly string[]): string {
  return words.map((w) => `"${w}"`).join(' OR ');
}

/** The distinct words of a query, lower-cased, in order. */
function queryWords(query: string): string[] {
  return [...new Set((query.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase()))];
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
