// Migration 7: each LM call keeps what was asked besides the messages — the model name sent, the
// sampling settings with the request's own seed, and the rollout id — as JSON, so a stored call
// can be sent again exactly (the determinism check) and its seed is visible in the trace.
// Calls stored before have NULL.

import type { Migration } from './migration.ts';

export const callRequest: Migration = {
  version: 7,
  name: 'call-request',
  sql: `
ALTER TABLE lm_calls ADD COLUMN request TEXT;
`,
};
