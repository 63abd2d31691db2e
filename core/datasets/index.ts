export * from './errors.ts';
export * from './csv.ts';
export * from './jsonl.ts';
export { jsonErrorIndex, scanJsonError } from './json-error-position.ts';
export { readDataFile } from './read-text.ts';
