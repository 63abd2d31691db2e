// Migration 3: a run covers several strategies and seeds as one prefix tree per seed, so each
// stage records the seed it belongs to; (run, seed, prefix) identifies a stage for resuming.

import type { Migration } from './migration.ts';

export const stageSeed: Migration = {
  version: 3,
  name: 'stage-seed',
  sql: `
ALTER TABLE stages ADD COLUMN seed INTEGER;
UPDATE stages SET seed = (SELECT seed FROM runs WHERE runs.id = stages.run_id);
CREATE INDEX stages_by_run_seed_prefix ON stages (run_id, seed, prefix, id);
`,
};
