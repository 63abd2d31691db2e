// #18, bad input: a data file with bytes that are not UTF-8 is an error naming the file, the line
// and the byte offset, for every reader (CSV, JSONL, JSON records, gzipped or not).
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCsv } from '../../../core/datasets/csv.ts';
import { readJsonRecords } from '../../../core/datasets/json-records.ts';
import { readJsonl } from '../../../core/datasets/jsonl.ts';
import { firstInvalidUtf8 } from '../../../core/datasets/utf8.ts';
import { tempDir } from './helpers.ts';

let folder: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  folder = await tempDir();
});
afterEach(() => folder.cleanup());

describe('invalid UTF-8 in data files', () => {
  it('finds the first byte that is not valid UTF-8', () => {
    const at = (bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));
    expect(at([0x61, 0xc3, 0xa9, 0x62])).toBe(4); // "aéb" is valid
    expect(at([0xf0, 0x9f, 0x98, 0x80])).toBe(4); // an emoji is valid
    expect(at([0x61, 0xe9, 0x62])).toBe(1); // Latin-1 é
    expect(at([0x61, 0xc3])).toBe(1); // truncated sequence
    expect(at([0xc0, 0xaf])).toBe(0); // overlong "/"
    expect(at([0xed, 0xa0, 0x80])).toBe(0); // a surrogate
    expect(at([0xf4, 0x90, 0x80, 0x80])).toBe(0); // past U+10FFFF
    expect(at([0x80])).toBe(0); // a lone continuation byte
  });

  it('names file, line and byte offset in CSV, JSONL and JSON-records files, gzipped or not', async () => {
    const csv = Buffer.concat([Buffer.from('question,answer\nHow many?,4\nCaf'), Buffer.from([0xe9]), Buffer.from(',5\n')]);
    const csvFile = await folder.write('data.csv', '');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(csvFile, csv);
    await expect(readCsv(csvFile)).rejects.toThrow(/data\.csv, line 3: invalid UTF-8 at byte offset 31 \(byte 4 of the line: 0xe9\); save the file as UTF-8/);

    const jsonl = Buffer.concat([Buffer.from('{"question": "ok", "answer": "1"}\n{"question": "bad '), Buffer.from([0xff]), Buffer.from('", "answer": "2"}\n')]);
    const jsonlFile = await folder.write('data.jsonl', '');
    writeFileSync(jsonlFile, jsonl);
    await expect(readJsonl(jsonlFile)).rejects.toThrow(/data\.jsonl, line 2: invalid UTF-8 at byte offset 52 \(byte 19 of the line: 0xff\)/);
    const gz = await folder.write('data.jsonl.gz', '');
    writeFileSync(gz, gzipSync(jsonl));
    await expect(readJsonRecords(gz)).rejects.toThrow(/data\.jsonl\.gz, line 2: invalid UTF-8/);
  });
});
