// A retrieval corpus as JSON Lines: one passage per line, `{"id"?: string, "title": string,
// "text": string}`. The whole file is checked before anything uses it, so a bad line is reported
// (file, line, field) before an index is written. A passage without an id gets its line number.

import { DatasetError } from './errors.ts';
import { jsonlObject, optionalString, readJsonl, requireString, type JsonlRecord } from './jsonl.ts';

export interface Passage {
  id: string;
  title: string;
  text: string;
}

export async function readPassageCorpus(file: string): Promise<Passage[]> {
  return passagesFrom(file, await readJsonl(file));
}

export function passagesFrom(file: string, records: readonly JsonlRecord[]): Passage[] {
  const seen = new Map<string, number>();
  return records.map((record) => {
    const object = jsonlObject(file, record);
    const id = object.id === undefined ? String(record.line) : idOf(file, record);
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new DatasetError(`passage id "${id}" was already used on line ${earlier}`, { file, line: record.line, field: 'id' });
    seen.set(id, record.line);
    const text = requireString(file, record, 'text');
    if (text.trim() === '') throw new DatasetError('passage text is empty', { file, line: record.line, field: 'text' });
    return { id, title: requireString(file, record, 'title'), text };
  });
}

/** Ids may be strings or integers (many corpora number their passages). */
function idOf(file: string, record: JsonlRecord): string {
  const value = jsonlObject(file, record).id;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  const id = optionalString(file, record, 'id')!;
  if (id.trim() === '') throw new DatasetError('passage id is empty', { file, line: record.line, field: 'id' });
  return id;
}
