// Reading a ColBERTv2 server's answer: `{"topk": [{"text", "pid", "score", "long_text"?, "rank"?}, ...]}`,
// as served by the DSPy/ColBERT `server.py` the BetterTogether paper used. In its wiki17
// abstracts index a passage's text is "Title | paragraph", so the title is split off at the first
// " | " (no separator: the title is ""). A passage's id is its pid (else its rank, else its
// position). Anything else is a RetryableRetrieveError of kind 'bad-response'.

import type { RetrievedPassage } from '../contract/views/program.ts';
import { RetryableRetrieveError } from './retry.ts';

const TITLE_SEPARATOR = ' | ';
/** The most of a body an error message quotes. */
const EXCERPT_CHARS = 200;

/** The passages of a topk body, best first, at most k. */
export function parseTopk(body: string, k: number, source: string): RetrievedPassage[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw bad(source, 'invalid JSON', body);
  }
  const topk = asRecord(json)?.topk;
  if (!Array.isArray(topk)) throw bad(source, 'no "topk" list', body);
  return topk.slice(0, k).map((entry: unknown, index) => passageOf(entry, index, source, body));
}

function passageOf(entry: unknown, index: number, source: string, body: string): RetrievedPassage {
  const record = asRecord(entry);
  const longText = record?.long_text;
  const full = typeof longText === 'string' && longText !== '' ? longText : record?.text;
  if (typeof full !== 'string') throw bad(source, `topk[${index}] has no "text"`, body);
  const { title, text } = splitTitle(full);
  const score = record!.score;
  return {
    id: idOf(record!.pid) ?? idOf(record!.rank) ?? String(index + 1),
    title,
    text,
    score: typeof score === 'number' && Number.isFinite(score) ? score : 0,
  };
}

/** "Title | paragraph" → its title and paragraph; text without " | " has the title "". */
export function splitTitle(full: string): { title: string; text: string } {
  const at = full.indexOf(TITLE_SEPARATOR);
  if (at < 0) return { title: '', text: full };
  return { title: full.slice(0, at).trim(), text: full.slice(at + TITLE_SEPARATOR.length) };
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

function bad(source: string, what: string, body: string): RetryableRetrieveError {
  return new RetryableRetrieveError('bad-response', `${source} answered with ${what}: ${excerpt(body)}`);
}

/** At most EXCERPT_CHARS of a body, whitespace collapsed, for an error message. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
