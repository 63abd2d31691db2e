// Shared pieces of the no-code task tests: a minimal valid definition and a temp folder.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TaskDefinitionInput } from '../../../../core/contract/task-definition.ts';

export function minimalDefinition(overrides: Partial<TaskDefinitionInput> = {}): TaskDefinitionInput {
  return {
    name: 'reviews',
    dataset: { file: 'reviews.csv' },
    inputs: [{ name: 'review', description: 'A product review.' }],
    outputs: [{ name: 'sentiment', description: 'positive, negative or neutral.' }],
    metric: { kind: 'label', field: 'sentiment', labels: ['positive', 'negative', 'neutral'] },
    ...overrides,
  };
}

export interface TempFolder {
  dir: string;
  write(name: string, text: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function tempFolder(): Promise<TempFolder> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tandem-declarative-'));
  return {
    dir,
    async write(name, text) {
      const file = path.join(dir, name);
      await writeFile(file, text, 'utf8');
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A CSV of `n` reviews, labels cycling positive, negative, neutral. */
export function reviewsCsv(n: number, header = 'id,text,label'): string {
  const labels = ['positive', 'negative', 'neutral'];
  const rows = Array.from({ length: n }, (_, i) => `r${i},"Review number ${i}, quite ${labels[i % 3]}",${labels[i % 3]}`);
  return `${header}\n${rows.join('\n')}\n`;
}
