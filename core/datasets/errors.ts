// Errors raised while reading a data file. The message always starts with where the problem is
// (file, and line/column/field when known), then says what was wrong.

export interface DatasetLocation {
  file: string;
  /** 1-based line number in the file. */
  line?: number;
  /** 1-based column: a character column for JSONL, a field column for CSV. */
  column?: number;
  /** The field (CSV column name or JSON property) involved. */
  field?: string;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly field: string | undefined;

  constructor(problem: string, location: DatasetLocation) {
    super(`${describeLocation(location)}: ${problem}`);
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.field = location.field;
  }
}

export function describeLocation(location: DatasetLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `, line ${location.line}`;
  if (location.column !== undefined) text += `, column ${location.column}`;
  if (location.field !== undefined) text += ` (field "${location.field}")`;
  return text;
}
