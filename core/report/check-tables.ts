// The intermediate checks of a run as report tables: per strategy and split, each check's mean
// (± 95% CI over seeds); per stage, the quality of the traces its demos or training rows came
// from. Every report format renders the same rows.

import type { ResultCell, RunChecks } from '../contract/views/results.ts';

export interface ReportTable {
  head: string[];
  rows: string[][];
}

export function checkTable(checks: RunChecks, splits: readonly string[], cellText: (cell: ResultCell | undefined) => string): ReportTable {
  const columns = splits.flatMap((split) => checks.definitions.map((d) => ({ split, d })));
  return {
    head: ['strategy', ...columns.map(({ split, d }) => `${split} ${d.label}`)],
    rows: checks.rows.map((row) => [row.label, ...columns.map(({ split, d }) => cellText(row.cells[split]?.[d.name]))]),
  };
}

export function sourceTable(checks: RunChecks): ReportTable {
  return {
    head: ['seed', 'stage', 'learned from', 'traces', ...checks.definitions.map((d) => `${d.label} (full)`)],
    rows: checks.sources.map((s) => [
      String(s.seed ?? ''),
      s.prefix,
      s.source === 'demos' ? 'demos' : 'training rows',
      String(s.traces),
      ...checks.definitions.map((d) => {
        const c = s.checks[d.name];
        return c && c.mean !== null ? `${(c.mean * 100).toFixed(1)} (${c.full}/${c.n})` : 'n/a';
      }),
    ]),
  };
}

/** One line per check: its label, the module it judges and what it measures. */
export function checkLegend(checks: RunChecks): string[] {
  return checks.definitions.map((d) => `${d.label} (${d.module}): ${d.description}`);
}
