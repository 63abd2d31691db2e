// The paper-style table as plain data (rows of the selected runs and strategies, split columns,
// the best mean per column) and its exports: Markdown for a paper draft or a PR, CSV for a
// notebook. Scores are percentages (ResultCell.mean is already ×100).
import type { ResultRow } from '../../api/types.ts';
import { strategyLabel } from './compare-params.ts';
import type { RunComparison } from './use-comparisons.ts';

type Cell = ResultRow['cells'][string];

export interface TableRow {
  key: string;
  runId: number;
  task: string;
  strategy: string;
  label: string;
  isBaseline: boolean;
  cells: Record<string, Cell | undefined>;
  /** The baseline's mean in the same run, per split: for the Δ shown beside a score. */
  baselineMeans: Record<string, number | null>;
  seeds: number[];
}

export interface TableModel {
  splits: string[];
  rows: TableRow[];
  /** Highest mean per split (rounded as shown, so ties on screen are ties here). */
  best: Record<string, number | null>;
  multiRun: boolean;
}

const SPLIT_ORDER = ['dev', 'test'];

export function buildTable(runs: RunComparison[], selected: (strategy: string) => boolean, taskOf: (runId: number) => string): TableModel {
  const rows: TableRow[] = [];
  const splits = new Set<string>();
  for (const { runId, comparison } of runs) {
    if (!comparison) continue;
    const base = comparison.table.find((r) => r.strategy === comparison.baseline);
    for (const r of comparison.table) {
      const isBaseline = r.strategy === comparison.baseline;
      if (!isBaseline && !selected(r.strategy)) continue;
      for (const s of Object.keys(r.cells)) splits.add(s);
      const baselineMeans: Record<string, number | null> = {};
      for (const s of Object.keys(r.cells)) baselineMeans[s] = base?.cells[s]?.mean ?? null;
      rows.push({ key: `${runId}|${r.strategy}`, runId, task: taskOf(runId), strategy: r.strategy, label: strategyLabel(r.strategy), isBaseline, cells: r.cells, baselineMeans, seeds: comparison.seeds });
    }
  }
  const ordered = [...splits].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const best: Record<string, number | null> = {};
  for (const s of ordered) {
    const means = rows.map((r) => r.cells[s]?.mean).filter((m): m is number => m !== null && m !== undefined);
    best[s] = means.length ? round1(Math.max(...means)) : null;
  }
  return { splits: ordered, rows, best, multiRun: new Set(rows.map((r) => r.runId)).size > 1 };
}

function rank(split: string): number {
  const i = SPLIT_ORDER.indexOf(split);
  return i === -1 ? SPLIT_ORDER.length : i;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** `61.3 ± 4.2`, `61.3` (one seed), or `—` (no seed has a score: no passing traces or not run). */
export function cellText(cell: Cell | undefined): string {
  if (!cell || cell.mean === null) return '—';
  return cell.ci95 === null ? cell.mean.toFixed(1) : `${cell.mean.toFixed(1)} ± ${cell.ci95.toFixed(1)}`;
}

export function isBest(model: TableModel, split: string, cell: Cell | undefined): boolean {
  const best = model.best[split];
  return best !== null && best !== undefined && cell?.mean !== null && cell?.mean !== undefined && round1(cell.mean) === best;
}

export function toMarkdown(model: TableModel): string {
  const head = [...(model.multiRun ? ['Run'] : []), 'Strategy', ...model.splits.map((s) => `${s} (%)`)];
  const align = [...(model.multiRun ? ['---'] : []), '---', ...model.splits.map(() => '---:')];
  const lines = [`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`];
  for (const r of model.rows) {
    const cells = model.splits.map((s) => {
      const text = cellText(r.cells[s]);
      return isBest(model, s, r.cells[s]) ? `**${text}**` : text;
    });
    const label = r.isBaseline ? `${r.label} (baseline)` : r.label;
    lines.push(`| ${[...(model.multiRun ? [`#${r.runId} ${r.task}`] : []), escapeMd(label), ...cells].join(' | ')} |`);
  }
  const seeds = [...new Set(model.rows.map((r) => r.seeds.length))].join('/');
  lines.push('', `Mean ± 95% CI (Student's t) over ${seeds} seeds; — : a weight step had no passing traces, or no seed has a score.`);
  return lines.join('\n');
}

const escapeMd = (s: string) => s.replace(/\|/g, '\\|');

export function toCsv(model: TableModel): string {
  const header = ['run_id', 'task', 'strategy', 'label', 'is_baseline', 'split', 'mean_pct', 'ci95_pct', 'n_seeds_scored', 'no_passing_traces', 'seed_values_pct'];
  const lines = [header.join(',')];
  for (const r of model.rows) {
    for (const s of model.splits) {
      const c = r.cells[s];
      const values = c?.values ?? [];
      const seedValues = r.seeds.map((seed, i) => `${seed}:${values[i] ?? ''}`).join(';');
      lines.push(
        [r.runId, r.task, r.strategy, r.label, r.isBaseline, s, c?.mean ?? '', c?.ci95 ?? '', values.filter((v) => v !== null).length, c?.noPassingTraces ?? false, seedValues]
          .map((v) => csvField(String(v)))
          .join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
