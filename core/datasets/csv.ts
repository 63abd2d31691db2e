// A small CSV reader (RFC 4180: comma-separated, optional double-quoted fields with "" escapes).
// The first record is the header. Values stay strings; tasks convert them with `csvNumber` etc.,
// which report bad values by line, column and field name.

import { DatasetError } from './errors.ts';
import { readDataFile } from './read-text.ts';

export interface CsvRow {
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

interface RawRecord {
  line: number;
  fields: string[];
}

export async function readCsv(file: string): Promise<CsvTable> {
  return parseCsv(await readDataFile(file), file);
}

/** Parses CSV text; `file` names the source in error messages. Blank lines are skipped. */
export function parseCsv(text: string, file = '<csv>'): CsvTable {
  const records = splitRecords(text, file);
  const headerRecord = records[0];
  if (!headerRecord) throw new DatasetError('file is empty; expected a header row naming the columns', { file });
  const header = headerRecord.fields.map((name) => name.trim());
  const seen = new Set<string>();
  header.forEach((name, i) => {
    const at = { file, line: headerRecord.line, column: i + 1 };
    if (name === '') throw new DatasetError('empty column name in the header row', at);
    if (seen.has(name)) throw new DatasetError(`column "${name}" appears twice in the header row`, at);
    seen.add(name);
  });
  const rows: CsvRow[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== header.length) {
      throw new DatasetError(
        `wrong number of fields: expected ${header.length} (as in the header), found ${record.fields.length}`,
        { file, line: record.line },
      );
    }
    const values: Record<string, string> = {};
    header.forEach((name, i) => (values[name] = record.fields[i]!));
    rows.push({ line: record.line, values });
  }
  return { file, header, rows };
}

function splitRecords(text: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let column = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0]!.trim() === '';
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field.trim() === '') {
      // Quoted field: runs to the closing quote; "" is a literal quote; may span lines.
      const startLine = line;
      const startColumn = column;
      field = '';
      i++;
      column++;
      for (;;) {
        if (i >= text.length) {
          throw new DatasetError('unterminated quoted field (no closing ")', { file, line: startLine, column: startColumn });
        }
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            column += 2;
            continue;
          }
          i++;
          column++;
          break;
        }
        if (c === '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
        field += c;
        i++;
      }
      // Only spaces may follow a closing quote before the separator.
      while (text[i] === ' ' || text[i] === '\t') {
        i++;
        column++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new DatasetError(`unexpected character ${JSON.stringify(next)} after a closing quote`, { file, line, column });
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      column = 0;
      recordLine = line;
    } else {
      field += ch;
    }
    i++;
    column++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Throws unless every named column is in the header. */
export function requireColumns(table: CsvTable, columns: readonly string[]): void {
  const missing = columns.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw new DatasetError(
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} ` +
        `in the header row (found: ${table.header.join(', ')})`,
      { file: table.file, line: 1 },
    );
  }
}

function location(table: CsvTable, row: CsvRow, column: string) {
  const index = table.header.indexOf(column);
  if (index < 0) throw new DatasetError(`no column "${column}" in the header row`, { file: table.file, line: 1 });
  return { file: table.file, line: row.line, column: index + 1, field: column };
}

/** A non-empty string value (trimmed). */
export function csvString(table: CsvTable, row: CsvRow, column: string): string {
  const at = location(table, row, column);
  const value = (row.values[column] ?? '').trim();
  if (value === '') throw new DatasetError('missing value for a required field', at);
  return value;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number; anything else names the line, column and field. */
export function csvNumber(table: CsvTable, row: CsvRow, column: string): number {
  const at = location(table, row, column);
  const text = (row.values[column] ?? '').trim();
  if (text === '') throw new DatasetError('missing value for a required numeric field', at);
  const value = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(value)) {
    throw new DatasetError(`${JSON.stringify(text)} is not a number`, at);
  }
  return value;
}
