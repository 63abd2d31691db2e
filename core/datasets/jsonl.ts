// JSON Lines: one JSON value per line. Blank lines are skipped; a malformed line raises a
// DatasetError naming the file, the line and the column where the JSON goes wrong.

import { DatasetError } from './errors.ts';
import { jsonErrorIndex } from './json-error-position.ts';
import { readDataFile } from './read-text.ts';

export interface JsonlRecord {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly value: unknown;
}

export async function readJsonl(file: string): Promise<JsonlRecord[]> {
  return parseJsonl(await readDataFile(file), file);
}

/** Parses JSONL text; `file` names the source in error messages. An empty text is an error. */
export function parseJsonl(text: string, file = '<jsonl>'): JsonlRecord[] {
  const records: JsonlRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatasetError(`invalid JSON: ${shorten(reason)}`, {
        file,
        line: index + 1,
        column: jsonErrorIndex(line, error) + 1,
      });
    }
    records.push({ line: index + 1, value });
  });
  if (records.length === 0) throw new DatasetError('file is empty; expected one JSON object per line', { file });
  return records;
}

/** The record as a JSON object, or a DatasetError saying what it is instead. */
export function jsonlObject(file: string, record: JsonlRecord): Record<string, unknown> {
  const { value } = record;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DatasetError(`expected a JSON object, found ${describeJson(value)}`, { file, line: record.line });
  }
  return value as Record<string, unknown>;
}

/** A required string property of an object record. */
export function requireString(file: string, record: JsonlRecord, field: string): string {
  const object = jsonlObject(file, record);
  const value = object[field];
  if (value === undefined) {
    throw new DatasetError(`missing required field "${field}"`, { file, line: record.line, field });
  }
  if (typeof value !== 'string') {
    throw new DatasetError(`field must be a string, found ${describeJson(value)}`, { file, line: record.line, field });
  }
  return value;
}

/** An optional string property: undefined when absent, an error when present with another type. */
export function optionalString(file: string, record: JsonlRecord, field: string): string | undefined {
  const value = jsonlObject(file, record)[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new DatasetError(`field must be a string, found ${describeJson(value)}`, { file, line: record.line, field });
  }
  return value;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** V8 appends the whole input to some messages; keep errors readable on long lines. */
function shorten(message: string): string {
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}
