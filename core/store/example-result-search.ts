// A search box's words, split by how each is found in example results: words of 3 or more
// characters through the trigram index (example_results_fts), shorter ones with LIKE.

/** Shortest word the trigram index can look up, in characters (code points). */
const MIN_INDEXED = 3;

/** At most this many words of a search count. */
const MAX_WORDS = 16;

export interface SearchTerms {
  /** The MATCH expression for the indexed words (each a quoted FTS5 string), or null when there are none. */
  fts: string | null;
  /** The shorter words, matched with LIKE. */
  scan: string[];
}

/**
 * Words of a search box; quotes group words into one phrase. A NUL character counts as a space:
 * SQLite would take it for the end of the text (FTS5 reports an unterminated string).
 */
function searchWords(search: string | undefined): string[] {
  if (!search) return [];
  const words: string[] = [];
  for (const match of search.replace(/\0/g, ' ').matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = (match[1] ?? match[2] ?? '').trim();
    if (word !== '') words.push(word);
  }
  return words.slice(0, MAX_WORDS);
}

/**
 * A search split by how each word is found: `fts` quotes every indexed word, so nothing in it is
 * an operator (a trigram phrase is a substring); `scan` keeps the words too short for trigrams.
 */
export function searchTerms(search: string | undefined): SearchTerms {
  const indexed: string[] = [];
  const scan: string[] = [];
  for (const word of searchWords(search)) (Array.from(word).length >= MIN_INDEXED ? indexed : scan).push(word);
  return { fts: indexed.length > 0 ? indexed.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ') : null, scan };
}

/** A LIKE pattern that finds the word anywhere, with its own `%`, `_` and `\` taken literally (ESCAPE '\'). */
export function likeAnywhere(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * What a result's trace retrieved, as search text: each retrieval's query and the titles of the
 * passages it returned (not their texts, which would grow the index many times over), so a
 * search for a paragraph's title finds the examples whose retrieval brought it back.
 * `traceId` is the SQL expression of the trace's id.
 */
export function retrievalSearchText(traceId: string): string {
  return `coalesce((SELECT group_concat(r.query || ' ' || coalesce((SELECT group_concat(json_extract(p.value, '$.title'), ' ') FROM json_each(r.passages) p), ''), ' ')
    FROM retrieval_calls r WHERE r.trace_id = ${traceId}), '')`;
}
