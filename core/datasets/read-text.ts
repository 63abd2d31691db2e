import { readFile } from 'node:fs/promises';
import { DatasetError } from './errors.ts';

/** Reads a UTF-8 data file, turning file-system failures into DatasetErrors; strips a BOM. */
export async function readDataFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError('file not found; check the path', { file });
    if (code === 'EISDIR') throw new DatasetError('is a folder; expected a data file', { file });
    throw new DatasetError(`cannot read file: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
