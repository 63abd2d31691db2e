import { gzipSync } from 'node:zlib';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, readDataFile, readJsonl } from '../../../core/datasets/index.ts';
import { jsonRecordsFrom, readJsonRecords, type JsonRecord } from '../../../core/datasets/json-records.ts';
import { tempDir } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const records = (text: string, file = 'f.json'): { format: string; records: JsonRecord[] } => {
  const read = jsonRecordsFrom(Buffer.from(text, 'utf8'), file);
  return { format: read.format, records: [...read.records] };
};

const failure = (run: () => unknown): DatasetError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
};

describe('gzip in readDataFile', () => {
  it('gunzips a .gz file and reads other files as they are', async () => {
    const gz = path.join(tmp.dir, 'a.jsonl.gz');
    await writeFile(gz, gzipSync(Buffer.from('\ufeff{"a":"é"}\n{"a":2}\n', 'utf8')));
    expect(await readDataFile(gz)).toBe('{"a":"é"}\n{"a":2}\n');
    expect((await readJsonl(gz)).map((r) => r.value)).toEqual([{ a: 'é' }, { a: 2 }]);
    const plain = await tmp.write('plain.jsonl', '{"a":1}\n');
    expect(await readDataFile(plain)).toBe('{"a":1}\n');
  });

  it('says when a .gz file is not gzip data', async () => {
    const file = await tmp.write('fake.jsonl.gz', '{"a":1}\n');
    await expect(readDataFile(file)).rejects.toThrow(`${file}: the name ends in .gz but the file is not valid gzip data`);
  });

  it('names a missing .gz file', async () => {
    const file = path.join(tmp.dir, 'missing.json.gz');
    await expect(readDataFile(file)).rejects.toThrow(`${file}: file not found; check the path`);
  });
});

describe('JSON records: format by content', () => {
  it('reads a top-level array element by element, with indices and start lines', () => {
    const read = records('\n  [\n  {"a": 1},\n  {"a": "x, ] }"},\n  [2, {"b": [3]}], "s\\"]", 4\n]\n');
    expect(read.format).toBe('json-array');
    expect(read.records).toEqual([
      { line: 3, element: 0, value: { a: 1 } },
      { line: 4, element: 1, value: { a: 'x, ] }' } },
      { line: 5, element: 2, value: [2, { b: [3] }] },
      { line: 5, element: 3, value: 's"]' },
      { line: 5, element: 4, value: 4 },
    ]);
  });

  it('reads an empty array as no records', () => {
    expect(records('[ ]').records).toEqual([]);
  });

  it('reads JSON Lines when the first character is not "["', () => {
    const read = records('\ufeff{"a":1}\r\n\n{"a":2}');
    expect(read.format).toBe('jsonl');
    expect(read.records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 2 } },
    ]);
  });

  it('reads a gzipped array from disk', async () => {
    const file = path.join(tmp.dir, 'arr.json.gz');
    await writeFile(file, gzipSync(Buffer.from('[{"a":1},{"a":2}]')));
    const read = await readJsonRecords(file);
    expect(read.format).toBe('json-array');
    expect([...read.records].map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it.each([
    ['an empty file', ' \n ', 'f.json: file is empty; expected a JSON array or one JSON object per line'],
    ['a cut-off array', '[\n{"a": 1},\n{"a": ', 'f.json, line 3: element [1] of the top-level array: the file ends inside this element; is it cut off?'],
    ['an unclosed array', '[{"a": 1},\n', 'f.json, line 2: the file ends before the top-level array is closed with "]"; is it cut off?'],
    ['a missing element', '[{"a": 1},\n,{"a": 2}]', 'f.json, line 2: element [1] of the top-level array: expected a JSON value before ","'],
    ['a trailing comma', '[1,\n]', 'f.json, line 2: element [1] of the top-level array: expected a JSON value before "]"'],
    ['text after the array', '[1]\n\n x', 'f.json, line 3: unexpected text after the top-level array'],
    ['a stray "}"', '[1}', 'f.json, line 1: element [0] of the top-level array: unexpected "}" after the element'],
  ])('rejects %s', (_, text, message) => {
    expect(failure(() => records(text)).message).toBe(message);
  });

  it('places invalid JSON inside an element at its line and column', () => {
    const error = failure(() => records('[\n{"a": 1},\n{"a": 1,\n "b": tru}\n]'));
    expect(error.message).toMatch(/^f\.json, line 4, column 10: element \[1\] of the top-level array is invalid JSON: /);
    expect([error.line, error.column]).toEqual([4, 10]);
  });

  it('places invalid JSON in a JSON Lines file at its line and column', () => {
    const error = failure(() => records('{"a": 1}\n{"a": x}\n', 'f.jsonl'));
    expect(error.message).toMatch(/^f\.jsonl, line 2, column 7: invalid JSON: /);
  });
});
