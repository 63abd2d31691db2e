// How text becomes index terms, the same for passages at build time and for queries: words are
// runs of letters, digits and marks (everything else separates them, so FTS5 syntax such as
// quotes, `*` or `:` in a query is just a separator), lower-cased, with diacritics removed from Latin letters, and
// Porter-stemmed (porter-stemmer.ts) when they are plain ASCII: what SQLite FTS5's
// 'porter unicode61 remove_diacritics 2' tokenizer makes of English text.

import { porterStem } from './porter-stemmer.ts';

const ASCII_WORD = /[a-z0-9]+/g;
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
/** Marks on Latin letters ("é" → "e"), as FTS5's remove_diacritics folds them; other scripts keep theirs. */
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const NON_ASCII = /[\u0080-\uffff]/;

/** The words of a text, lower-cased and without diacritics, in order (repeats kept). */
export function wordsOf(text: string): string[] {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower.match(ASCII_WORD) ?? [];
  const words: string[] = [];
  for (const raw of lower.match(WORD) ?? []) {
    const word = NON_ASCII.test(raw) ? raw.normalize('NFD').replace(LATIN_MARKS, '$1').normalize('NFC') : raw;
    if (word !== '') words.push(word);
  }
  return words;
}

/** The index term a word (from wordsOf) stands for. */
export function termOf(word: string): string {
  return NON_ASCII.test(word) ? word : porterStem(word);
}

/** The distinct terms of a query, in the order they first occur. */
export function queryTerms(query: string): string[] {
  return [...new Set(wordsOf(query).map(termOf))];
}
