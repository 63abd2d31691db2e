import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvNumber, csvString, DatasetError, parseCsv, readCsv, requireColumns } from '../../../core/datasets/index.ts';
import { tempDir } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

async function csvError(text: string, use?: (file: string) => Promise<unknown>): Promise<DatasetError> {
  const file = await tmp.write(`f${Math.random().toString(36).slice(2)}.csv`, text);
  try {
    await (use ? use(file) : readCsv(file));
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    const e = error as DatasetError;
    expect(e.message.startsWith(file)).toBe(true);
    return e;
  }
  throw new Error('expected a DatasetError');
}

describe('parseCsv', () => {
  it('reads the header and rows with their line numbers', () => {
    const table = parseCsv('a,b\n1,2\n\n3,4\n', 'x.csv');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { line: 2, values: { a: '1', b: '2' } },
      { line: 4, values: { a: '3', b: '4' } },
    ]);
  });

  it('handles CRLF, a BOM-free last line without newline, and quoted fields', () => {
    const table = parseCsv('name,text\r\nx,"a, ""quoted"" b"\r\ny,"two\nlines"\r\nz,plain', 'q.csv');
    expect(table.rows.map((r) => r.values.text)).toEqual(['a, "quoted" b', 'two\nlines', 'plain']);
    expect(table.rows.map((r) => r.line)).toEqual([2, 3, 5]);
  });

  it('rejects an unterminated quote at the line and column where it opened', () => {
    expect(() => parseCsv('a,b\n1,"open\n', 'u.csv')).toThrow('u.csv, line 2, column 3: unterminated quoted field');
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('a,b\n"x"y,1\n', 't.csv')).toThrow(/t\.csv, line 2, column 4: unexpected character "y"/);
  });

  it('rejects empty and duplicate column names', () => {
    expect(() => parseCsv('a,,c\n', 'h.csv')).toThrow('h.csv, line 1, column 2: empty column name');
    expect(() => parseCsv('a,b,a\n', 'h.csv')).toThrow('h.csv, line 1, column 3: column "a" appears twice');
  });
});

describe('readCsv errors', () => {
  it('names a missing file', async () => {
    await expect(readCsv(`${tmp.dir}/nope.csv`)).rejects.toThrow(/nope\.csv: file not found/);
  });

  it('names a folder given as a file', async () => {
    await expect(readCsv(tmp.dir)).rejects.toThrow(/is a folder/);
  });

  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\n\n  \n'],
  ])('rejects %s, asking for a header row', async (_, text) => {
    const error = await csvError(text);
    expect(error.message).toMatch(/file is empty; expected a header row/);
    expect(error.line).toBeUndefined();
  });

  it('reports a wrong field count with the line number', async () => {
    const error = await csvError('a,b,c\n1,2,3\n4,5\n');
    expect(error.message).toMatch(/, line 3: wrong number of fields: expected 3 \(as in the header\), found 2$/);
    expect(error.line).toBe(3);
  });

  it('reports too many fields too', async () => {
    const error = await csvError('a,b\n1,2,3\n');
    expect(error.message).toMatch(/line 2: wrong number of fields: expected 2 .* found 3/);
  });
});

describe('typed CSV access', () => {
  const table = parseCsv('x,y,name\n1.5,abc,ok\n,2,\n1e3, -4 ,n\n', 'n.csv');

  it('parses numbers', () => {
    expect(csvNumber(table, table.rows[0]!, 'x')).toBe(1.5);
    expect(csvNumber(table, table.rows[2]!, 'x')).toBe(1000);
    expect(csvNumber(table, table.rows[2]!, 'y')).toBe(-4);
  });

  it('names line, column and field of a bad number', () => {
    expect(() => csvNumber(table, table.rows[0]!, 'y')).toThrow('n.csv, line 2, column 2 (field "y"): "abc" is not a number');
  });

  it('names line, column and field of a missing value', () => {
    expect(() => csvNumber(table, table.rows[1]!, 'x')).toThrow('n.csv, line 3, column 1 (field "x"): missing value');
    expect(() => csvString(table, table.rows[1]!, 'name')).toThrow('n.csv, line 3, column 3 (field "name"): missing value');
  });

  it.each(['1.2.3', '0x10', 'Infinity', 'NaN', '1,5', '--1', '1e'])('rejects %j as a number', (text) => {
    const t = parseCsv(`v\n"${text}"\n`, 'v.csv');
    expect(() => csvNumber(t, t.rows[0]!, 'v')).toThrow(/v\.csv, line 2, column 1 \(field "v"\): .* is not a number/);
  });

  it('lists missing required columns and the columns found', () => {
    expect(() => requireColumns(table, ['x', 'species', 'z'])).toThrow(
      'n.csv, line 1: missing required columns "species", "z" in the header row (found: x, y, name)',
    );
    expect(() => requireColumns(table, ['x', 'y'])).not.toThrow();
  });
});
