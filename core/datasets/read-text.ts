// Reading a data file from disk for the dataset readers: file-system failures become
// DatasetErrors naming the file, and a file whose name ends in `.gz` is gunzipped first (bundled
// datasets are stored compressed to keep the repository small). Other files are read as they are.

import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetError } from './errors.ts';
import { checkUtf8 } from './utf8.ts';

const gunzipAsync = promisify(gunzip);

/** Whether a data file is read through gunzip (its name ends in `.gz`, any case). */
export function isGzipPath(file: string): boolean {
  return file.toLowerCase().endsWith('.gz');
}

/** The file's bytes, gunzipped when its name ends in `.gz`, checked to be UTF-8; problems are DatasetErrors. */
export async function readDataBytes(file: string): Promise<Buffer> {
  const bytes = await readRawBytes(file);
  checkUtf8(bytes, file);
  return bytes;
}

async function readRawBytes(file: string): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError('file not found; check the path', { file });
    if (code === 'EISDIR') throw new DatasetError('is a folder; expected a data file', { file });
    throw new DatasetError(`cannot read file: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  if (!isGzipPath(file)) return raw;
  try {
    return await gunzipAsync(raw);
  } catch (error) {
    throw new DatasetError(
      `the name ends in .gz but the file is not valid gzip data (${error instanceof Error ? error.message : String(error)})`,
      { file },
    );
  }
}

/** Reads a UTF-8 data file (gunzipped when named `.gz`), turning failures into DatasetErrors; strips a BOM. */
export async function readDataFile(file: string): Promise<string> {
  const bytes = await readDataBytes(file);
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch (error) {
    // Node cannot hold a string over about 512 MiB (V8's limit).
    throw new DatasetError(`file is too large to read as one text (${bytes.length} bytes): ${(error as Error).message}`, { file });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
