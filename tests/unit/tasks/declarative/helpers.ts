// Shared pieces of the no-code task tests: a minimal valid definition and a temp folder.

import { tempDir } from '../../datasets/helpers.ts';
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

/** A temp folder with a `write(name, text)` helper (the datasets tests' one). */
export const tempFolder = tempDir;
export type TempFolder = Awaited<ReturnType<typeof tempDir>>;

/** A CSV of `n` reviews, labels cycling positive, negative, neutral. */
export function reviewsCsv(n: number, header = 'id,text,label'): string {
  const labels = ['positive', 'negative', 'neutral'];
  const rows = Array.from({ length: n }, (_, i) => `r${i},"Review number ${i}, quite ${labels[i % 3]}",${labels[i % 3]}`);
  return `${header}\n${rows.join('\n')}\n`;
}
