// Writes a small text file of lines for a test (a corpus, a dataset) and returns its path.

import { writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeLines(dir: string, name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
