import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetError,
  jsonlObject,
  optionalString,
  parseJsonl,
  readJsonl,
  requireString,
  scanJsonError,
} from '../../../core/datasets/index.ts';
import { tempDir } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('readJsonl', () => {
  it('reads one value per line, skipping blank lines, keeping line numbers', async () => {
    const file = await tmp.write('ok.jsonl', '{"a":1}\r\n\n{"a":2}\n');
    expect(await readJsonl(file)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 2 } },
    ]);
  });

  it('accepts a last line without newline and a BOM', async () => {
    const file = await tmp.write('bom.jsonl', '\ufeff{"a":1}\n{"a":2}');
    expect((await readJsonl(file)).map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('rejects an empty file', async () => {
    const file = await tmp.write('empty.jsonl', '\n \n');
    await expect(readJsonl(file)).rejects.toThrow(`${file}: file is empty; expected one JSON object per line`);
  });

  it('names a missing file', async () => {
    await expect(readJsonl(`${tmp.dir}/missing.jsonl`)).rejects.toThrow(/missing\.jsonl: file not found/);
  });

  // Columns are 1-based character positions within the line.
  it.each([
    ['a missing value', '{"a":}', 6],
    ['a missing comma', '{"a":1 "b":2}', 8],
    ['a missing colon', '{"a" 1}', 6],
    ['a trailing comma in an array', '{"a":[1,]}', 9],
    ['a single-quoted string', "{'a':1}", 2],
    ['trailing text', '{"a":1} x', 9],
    ['a truncated object', '{"a":1', 7],
    ['a bad literal', '{"a":tru}', 9],
    ['a bad escape', '{"a":"\\q"}', 8],
  ])('reports %s with line and column', async (_, bad, column) => {
    const file = await tmp.write('bad.jsonl', `{"ok":true}\n\n${bad}\n{"ok":true}\n`);
    const error = await readJsonl(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetError);
    const e = error as DatasetError;
    expect(e.line).toBe(3);
    expect(e.column).toBe(column);
    expect(e.message).toMatch(new RegExp(`^${escape(file)}, line 3, column ${column}: invalid JSON: `));
  });
});

describe('scanJsonError', () => {
  it.each([
    ['{}', -1],
    ['[1, 2.5e-3, "x\\u00e9", true, null, {"a": []}]', -1],
    ['{"a":}', 5],
    ['', 0],
    ['[1,]', 3],
    ['01', 1],
    ['"a\tb"', 2],
    ['{"a":1}}', 7],
  ])('%j -> %d', (text, expected) => {
    expect(scanJsonError(text)).toBe(expected);
  });
});

describe('record fields', () => {
  const records = parseJsonl('{"question":"q","answer":3,"id":"x"}\n[1]\n{"answer":"a"}\n', 'r.jsonl');

  it('reads required and optional strings', () => {
    expect(requireString('r.jsonl', records[0]!, 'question')).toBe('q');
    expect(optionalString('r.jsonl', records[0]!, 'id')).toBe('x');
    expect(optionalString('r.jsonl', records[2]!, 'id')).toBeUndefined();
  });

  it('names the line and field of a missing field', () => {
    expect(() => requireString('r.jsonl', records[2]!, 'question')).toThrow(
      'r.jsonl, line 3 (field "question"): missing required field "question"',
    );
  });

  it('names the type of a wrongly typed field', () => {
    expect(() => requireString('r.jsonl', records[0]!, 'answer')).toThrow(
      'r.jsonl, line 1 (field "answer"): field must be a string, found a number',
    );
  });

  it('rejects a line that is not an object', () => {
    expect(() => jsonlObject('r.jsonl', records[1]!)).toThrow('r.jsonl, line 2: expected a JSON object, found an array');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
