// Turns what a user typed into a search box into a safe FTS5 query: every word becomes a quoted
// string, so FTS5 operators and punctuation (AND, OR, NOT, NEAR, -, :, ^, parentheses, stray
// quotes) are searched for literally and can never cause a syntax error. What stays special:
//   "two words"   a phrase (the words next to each other, in that order)
//   word*         a prefix (matches word, words, wordy, …)
// Terms are ANDed. Words that hold no letter or digit are dropped (the tokenizer ignores them).

const TERM = /"([^"]*)"(\*?)|(\S+)/gu;
const SEARCHABLE = /[\p{L}\p{N}]/u;

/** The FTS5 MATCH expression for `text`, or null when it has nothing searchable. */
export function toFtsQuery(text: string): string | null {
  const terms: string[] = [];
  for (const match of text.matchAll(TERM)) {
    let body: string;
    let prefix: boolean;
    if (match[1] !== undefined) {
      body = match[1];
      prefix = match[2] === '*';
    } else {
      const word = match[3] ?? '';
      prefix = word.endsWith('*');
      body = word.replace(/["*]/g, ' ');
    }
    if (!SEARCHABLE.test(body)) continue;
    terms.push(`"${body.replace(/"/g, '""').trim()}"${prefix ? '*' : ''}`);
  }
  return terms.length > 0 ? terms.join(' ') : null;
}
