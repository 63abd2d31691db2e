// JSON records from a file that is either one top-level JSON array of records (as many official
// dataset releases ship, e.g. HotpotQA's hotpot_dev_distractor_v1.json) or JSON Lines. The format
// is decided by content: the first non-space character `[` means an array. Both are split into
// records on the raw bytes (the structural characters of JSON are ASCII, so UTF-8 text never
// hides one), and only one record at a time becomes a string: a file past V8's ~512 MiB string
// limit (HotpotQA's train file is 566 MB) still reads, and each record keeps its line and, in an
// array, its element index, so errors say where.

import { DatasetError } from './errors.ts';
import { jsonErrorIndex } from './json-error-position.ts';
import { readDataBytes } from './read-text.ts';

export type JsonRecordsFormat = 'json-array' | 'jsonl';

export interface JsonRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** 0-based index in the top-level array; absent for JSON Lines. */
  readonly element?: number;
  readonly value: unknown;
}

export interface JsonRecords {
  readonly format: JsonRecordsFormat;
  /** The records in file order, parsed one at a time as the iteration reaches them. */
  readonly records: Iterable<JsonRecord>;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** Reads `file` (gunzipped when named `.gz`) as a JSON array or JSON Lines, decided by content. */
export async function readJsonRecords(file: string): Promise<JsonRecords> {
  return jsonRecordsFrom(await readDataBytes(file), file);
}

/** Splits the bytes of a JSON array or JSON Lines text into records; `file` names it in errors. */
export function jsonRecordsFrom(bytes: Buffer, file: string): JsonRecords {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let first = start;
  while (first < bytes.length && isSpace(bytes[first]!)) first++;
  if (first === bytes.length) throw new DatasetError('file is empty; expected a JSON array or one JSON object per line', { file });
  if (bytes[first] === OPEN_ARRAY) return { format: 'json-array', records: arrayRecords(bytes, file, first) };
  return { format: 'jsonl', records: lineRecords(bytes, file, start) };
}

/** A DatasetError at a record: its line, and for an array element its index, then the problem. */
export function recordError(file: string, record: Pick<JsonRecord, 'line' | 'element'>, problem: string, field?: string): DatasetError {
  const where = record.element === undefined ? '' : `element [${record.element}] of the top-level array: `;
  return new DatasetError(`${where}${problem}`, field === undefined ? { file, line: record.line } : { file, line: record.line, field });
}

function* lineRecords(bytes: Buffer, file: string, start: number): Generator<JsonRecord> {
  let line = 1;
  for (let from = start; from < bytes.length; line++) {
    const newline = bytes.indexOf(NEWLINE, from);
    const to = newline < 0 ? bytes.length : newline;
    let text = bytes.toString('utf8', from, to);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    from = to + 1;
    if (text.trim() === '') continue;
    yield { line, value: parseAt(text, file, line, 1, 'invalid JSON') };
  }
}

function* arrayRecords(bytes: Buffer, file: string, open: number): Generator<JsonRecord> {
  let line = 1 + countNewlines(bytes, 0, open);
  let pos = open + 1;
  let element = 0;
  for (;;) {
    while (pos < bytes.length && isSpace(bytes[pos]!)) {
      if (bytes[pos] === NEWLINE) line++;
      pos++;
    }
    if (pos >= bytes.length) throw new DatasetError('the file ends before the top-level array is closed with "]"; is it cut off?', { file, line });
    if (bytes[pos] === CLOSE_ARRAY && element === 0) {
      pos++;
      break;
    }
    // Scan one element: up to the comma or closing bracket at depth 0, outside strings.
    const from = pos;
    const fromLine = line;
    let depth = 0;
    let inString = false;
    let stop = -1;
    for (; pos < bytes.length; pos++) {
      const b = bytes[pos]!;
      if (b === NEWLINE) line++;
      if (inString) {
        if (b === BACKSLASH) pos++;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) {
        inString = true;
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        depth++;
      } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (depth === 0) {
          stop = b;
          break;
        }
        depth--;
      } else if (b === COMMA && depth === 0) {
        stop = b;
        break;
      }
    }
    const at = { line: fromLine, element };
    if (stop < 0) throw recordError(file, at, 'the file ends inside this element; is it cut off?');
    const text = bytes.toString('utf8', from, pos).trimEnd();
    if (text === '') throw recordError(file, at, `expected a JSON value before "${String.fromCharCode(stop)}"`);
    if (stop === CLOSE_OBJECT) throw recordError(file, at, 'unexpected "}" after the element');
    yield { line: fromLine, element, value: parseAt(text, file, fromLine, 1, `element [${element}] of the top-level array is invalid JSON`) };
    element++;
    pos++;
    if (stop === CLOSE_ARRAY) break;
  }
  for (; pos < bytes.length; pos++) {
    const b = bytes[pos]!;
    if (b === NEWLINE) line++;
    else if (!isSpace(b)) throw new DatasetError('unexpected text after the top-level array', { file, line });
  }
}

/** JSON.parse, or a DatasetError at the line and column (counted from `line`) where the JSON goes wrong. */
function parseAt(text: string, file: string, line: number, column: number, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const index = jsonErrorIndex(text, error);
    const before = text.slice(0, index);
    const lines = before.split('\n');
    const reason = error instanceof Error ? error.message : String(error);
    return raise(
      new DatasetError(`${what}: ${reason.length > 160 ? `${reason.slice(0, 157)}...` : reason}`, {
        file,
        line: line + lines.length - 1,
        column: lines.length === 1 ? column + index : lines[lines.length - 1]!.length + 1,
      }),
    );
  }
}

function raise(error: Error): never {
  throw error;
}

function countNewlines(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = bytes.indexOf(NEWLINE, from); i >= 0 && i < to; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}
