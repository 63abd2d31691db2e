// HotpotQA questions (distractor format) and the retrieval corpus made from their paragraphs.
// Reads the official release files (one top-level JSON array, `_id`) and JSON Lines copies (`id`
// or `_id`, such as the bundled resources/datasets/hotpotqa/questions.jsonl.gz), plain or
// gzipped. Every row is checked whole; a problem names the file, the line (and for an array the
// element) and the field. The task built on this lives elsewhere; this file only reads data.

import { DatasetError } from '../datasets/errors.ts';
import { readJsonRecords, recordError, type JsonRecord } from '../datasets/json-records.ts';
import type { Passage } from '../datasets/passage-corpus.ts';
import { bundledDatasetPath } from '../util/resources-path.ts';

export interface HotpotQuestion {
  id: string;
  question: string;
  answer: string;
  /** `bridge` or `comparison`. */
  type: string;
  /** `easy`, `medium` or `hard`. */
  level: string;
  /** [paragraph title, sentence index] pairs, as in the official data. */
  supportingFacts: Array<[string, number]>;
  /** The distinct titles of `supportingFacts`, in order of first appearance. */
  supportingTitles: string[];
  /** The row's paragraphs; sentences keep their leading spaces, so joining them with '' gives the text. */
  context: Array<{ title: string; sentences: string[] }>;
}

export const HOTPOT_TYPES = ['bridge', 'comparison'] as const;
export const HOTPOT_LEVELS = ['easy', 'medium', 'hard'] as const;

/** The bundled questions: 2,153 real rows (see resources/datasets/hotpotqa/README.md). */
export function bundledHotpotQAPath(): string {
  return bundledDatasetPath('hotpotqa', 'questions.jsonl.gz');
}

/**
 * Reads HotpotQA questions from the official JSON array or from JSON Lines, plain or `.gz`
 * (the format is decided by content). Throws a DatasetError at the first bad row, or when the
 * file has no rows, or when an id repeats. A file without answers (the official test set) is
 * rejected with a message saying so.
 */
export async function loadHotpotQA(file: string): Promise<HotpotQuestion[]> {
  const { records } = await readJsonRecords(file);
  const questions: HotpotQuestion[] = [];
  const seen = new Map<string, JsonRecord>();
  for (const record of records) {
    const question = hotpotQuestionFrom(file, record);
    const earlier = seen.get(question.id);
    if (earlier !== undefined) {
      const where = earlier.element === undefined ? `line ${earlier.line}` : `element [${earlier.element}], line ${earlier.line}`;
      throw recordError(file, record, `duplicate id "${question.id}" (first seen at ${where})`, 'id');
    }
    seen.set(question.id, { line: record.line, element: record.element, value: null });
    questions.push(question);
  }
  if (questions.length === 0) throw new DatasetError('no questions: the file holds an empty array', { file });
  return questions;
}

/** One row checked and converted; `record` says where it came from, for errors. */
export function hotpotQuestionFrom(file: string, record: JsonRecord): HotpotQuestion {
  const fail = (problem: string, field?: string): never => {
    throw recordError(file, record, problem, field);
  };
  const row = record.value;
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return fail(`expected a JSON object (one question), found ${describe(row)}`);
  const o = row as Record<string, unknown>;
  const str = (field: string, nonEmpty: boolean): string => {
    const value = o[field];
    if (value === undefined) return fail(`missing required field "${field}"`, field);
    if (typeof value !== 'string') return fail(`field must be a string, found ${describe(value)}`, field);
    if (nonEmpty && value.trim() === '') return fail('field is empty', field);
    return value;
  };
  const id = idOf(o, fail);
  if (o.answer === undefined) {
    return fail(
      'missing field "answer": this file has no answers. HotpotQA\'s official test set (hotpot_test_fullwiki_v1.json) is unlabelled; ' +
        'use a train or dev distractor file (hotpot_train_v1.1.json, hotpot_dev_distractor_v1.json) or the bundled questions',
      'answer',
    );
  }
  const question = str('question', true);
  const answer = str('answer', false);
  const type = oneOf(str('type', true), HOTPOT_TYPES, 'type', fail);
  const level = oneOf(str('level', true), HOTPOT_LEVELS, 'level', fail);
  const supportingFacts = supportingFactsOf(o.supporting_facts, fail);
  const context = contextOf(o.context, fail);
  const supportingTitles = [...new Set(supportingFacts.map(([title]) => title))];
  return { id, question, answer, type, level, supportingFacts, supportingTitles, context };
}

type Fail = (problem: string, field?: string) => never;

function idOf(o: Record<string, unknown>, fail: Fail): string {
  const official = o._id;
  const plain = o.id;
  if (official === undefined && plain === undefined) return fail('missing required field "_id" (or "id")', '_id');
  for (const [field, value] of [['_id', official], ['id', plain]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') return fail(`field must be a string, found ${describe(value)}`, field);
    if (value.trim() === '') return fail('field is empty', field);
  }
  if (official !== undefined && plain !== undefined && official !== plain) {
    return fail(`the row has both "_id" (${JSON.stringify(official)}) and "id" (${JSON.stringify(plain)}) and they differ`, 'id');
  }
  return (official ?? plain) as string;
}

function oneOf(value: string, allowed: readonly string[], field: string, fail: Fail): string {
  if (!allowed.includes(value)) return fail(`${JSON.stringify(value)} is not one of ${allowed.join(', ')}`, field);
  return value;
}

/**
 * `supporting_facts`: the official list form `[[title, sentence index], ...]`, or the Hugging
 * Face column form `{"title": [...], "sent_id": [...]}`.
 */
function supportingFactsOf(value: unknown, fail: Fail): Array<[string, number]> {
  const field = 'supporting_facts';
  if (value === undefined) return fail(`missing required field "${field}"`, field);
  const pairs = isObject(value) ? zipColumns(value, 'title', 'sent_id', field, fail) : value;
  if (!Array.isArray(pairs)) return fail(`expected a list of [title, sentence index] pairs, found ${describe(value)}`, field);
  if (pairs.length === 0) return fail('no supporting facts', field);
  return pairs.map((pair: unknown, i): [string, number] => {
    const at = `${field}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) return fail(`expected a [title, sentence index] pair, found ${describe(pair)}`, at);
    const [title, sentence] = pair as [unknown, unknown];
    if (typeof title !== 'string') return fail(`the title must be a string, found ${describe(title)}`, at);
    if (typeof sentence !== 'number' || !Number.isInteger(sentence) || sentence < 0) {
      return fail(`the sentence index must be a whole number >= 0, found ${JSON.stringify(sentence)}`, at);
    }
    return [title, sentence];
  });
}

/** `context`: `[[title, [sentence, ...]], ...]`, or the column form `{"title": [...], "sentences": [[...], ...]}`. */
function contextOf(value: unknown, fail: Fail): Array<{ title: string; sentences: string[] }> {
  const field = 'context';
  if (value === undefined) return fail(`missing required field "${field}"`, field);
  const pairs = isObject(value) ? zipColumns(value, 'title', 'sentences', field, fail) : value;
  if (!Array.isArray(pairs)) return fail(`expected a list of [title, sentences] pairs, found ${describe(value)}`, field);
  if (pairs.length === 0) return fail('no context paragraphs', field);
  return pairs.map((pair: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) return fail(`expected a [title, sentences] pair, found ${describe(pair)}`, at);
    const [title, sentences] = pair as [unknown, unknown];
    if (typeof title !== 'string') return fail(`the title must be a string, found ${describe(title)}`, at);
    if (!Array.isArray(sentences)) return fail(`the sentences must be a list of strings, found ${describe(sentences)}`, at);
    sentences.forEach((s: unknown, j) => {
      if (typeof s !== 'string') fail(`sentence ${j} must be a string, found ${describe(s)}`, at);
    });
    return { title, sentences: sentences as string[] };
  });
}

function zipColumns(columns: Record<string, unknown>, a: string, b: string, field: string, fail: Fail): unknown[][] {
  const left = columns[a];
  const right = columns[b];
  if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) {
    return fail(`expected a list of pairs, or columns "${a}" and "${b}" as lists of the same length`, field);
  }
  return left.map((x: unknown, i) => [x, right[i]]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}

export interface HotpotCorpus {
  /** One passage per distinct title, sorted by title (code-unit order): id = title. */
  passages: Passage[];
  /** Titles that came with more than one different text (the longest text was kept). */
  conflictingTitles: number;
}

/** A paragraph's text: its sentences joined with '' (they carry their own leading spaces), trimmed. */
export function hotpotParagraphText(sentences: readonly string[]): string {
  return sentences.join('').trim();
}

/**
 * The retrieval corpus of a set of questions: the union of their context paragraphs, one per
 * title. The same title with the same text is one passage; with different texts (the official
 * data has a few that differ only in whitespace) the longest text is kept, ties going to the
 * text that sorts first, so the result does not depend on the order of the questions.
 */
export function hotpotCorpus(questions: readonly HotpotQuestion[]): HotpotCorpus {
  const byTitle = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const q of questions) {
    for (const { title, sentences } of q.context) {
      const text = hotpotParagraphText(sentences);
      const kept = byTitle.get(title);
      if (kept === undefined) {
        byTitle.set(title, text);
      } else if (kept !== text) {
        conflicting.add(title);
        if (text.length > kept.length || (text.length === kept.length && text < kept)) byTitle.set(title, text);
      }
    }
  }
  const titles = [...byTitle.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { passages: titles.map((title) => ({ id: title, title, text: byTitle.get(title)! })), conflictingTitles: conflicting.size };
}

/** `hotpotCorpus(questions).passages`: every question's paragraphs, deduplicated by title, sorted by title. */
export function hotpotPassages(questions: readonly HotpotQuestion[]): Passage[] {
  return hotpotCorpus(questions).passages;
}
