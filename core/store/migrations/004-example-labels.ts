// Migration 4: each example result keeps the example's gold labels (JSON), so the trace view and
// comparisons can show the expected answer next to the prediction. Older rows have none (NULL).

import type { Migration } from './migration.ts';

export const exampleLabels: Migration = {
  version: 4,
  name: 'example-labels',
  sql: `
ALTER TABLE example_results ADD COLUMN labels TEXT;
`,
};
