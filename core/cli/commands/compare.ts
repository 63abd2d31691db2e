// `tandem compare <run>`: every strategy of a run against a baseline on one split — accuracy,
// the difference with its paired bootstrap 95% CI, the exact McNemar p-value on the flips pooled
// over seeds, Holm's adjustment, and one plain sentence each — as a table or as JSON.
// `tandem compare <run> --with <other>`: the same, strategy by strategy, for two runs of one task.

import type { Command } from 'commander';
import type { Comparison, RunsComparison } from '../../contract/views/index.ts';
import { formatP, signedPoints as points } from '../../contract/significance-format.ts';
import { integer } from '../options.ts';
import { withWorkspaceApi } from '../workspace-api.ts';

interface CompareFlags {
  with?: number;
  baseline: string;
  split?: string;
  strategies?: string;
  json?: boolean;
  db?: string;
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('is each strategy\'s difference from a baseline real? (paired bootstrap CI, exact McNemar, Holm)')
    .argument('<run>', 'run id (see `tandem runs`)', integer('<run>', 1))
    .option('--baseline <strategy>', 'the strategy the others are compared with (zero-shot, p, p -> w, …)', 'zero-shot')
    .option('--with <run>', 'compare with another run of the same task instead: each strategy they share, paired by example and seed', integer('--with', 1))
    .option('--split <split>', 'dev or test (default: test when the run evaluated it)')
    .option('--strategies <list>', 'compare only these, separated by commas (default: every other strategy of the run)')
    .option('--json', 'print the comparison as JSON (counts, difference, CI, p-values and the sentence per strategy)')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .action(async (runId: number, flags: CompareFlags) => {
      await withWorkspaceApi(flags.db, async (api) => {
        const run = await api.getRun({ runId });
        const split = flags.split ?? (run.results.splits.includes('test') ? 'test' : 'dev');
        const strategies = flags.strategies?.split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (flags.with !== undefined) {
          const runs = await api.compareRuns({ runId, otherRunId: flags.with, split: split as 'dev' | 'test', ...(strategies?.length ? { strategies } : {}) });
          process.stdout.write(flags.json ? `${JSON.stringify(runs)}\n` : `${runsComparisonText(runs)}\n`);
          return;
        }
        const comparison = await api.getComparison({ runId, baseline: flags.baseline, split: split as 'dev' | 'test', ...(strategies?.length ? { strategies } : {}) });
        process.stdout.write(flags.json ? `${JSON.stringify(comparisonJson(comparison))}\n` : `${comparisonText(comparison)}\n`);
      });
    });
}

/** The comparison without the per-example lists (the API serves those page by page). */
export function comparisonJson(c: Comparison) {
  return {
    runId: c.runId,
    split: c.split,
    baseline: c.baseline,
    seeds: c.seeds,
    strategies: c.flips.map((f) => ({
      strategy: f.strategy,
      label: f.label,
      accuracy: c.table.find((row) => row.strategy === f.strategy)?.cells[c.split]?.mean ?? null,
      counts: f.counts,
      missingSeeds: f.missingSeeds,
      significance: f.significance,
    })),
    baselineAccuracy: c.table.find((row) => row.strategy === c.baseline)?.cells[c.split]?.mean ?? null,
  };
}


function comparisonText(c: Comparison): string {
  const baseRow = c.table.find((row) => row.strategy === c.baseline);
  const head = ['strategy', `${c.split} %`, 'diff', '95% CI', 'R→W', 'W→R', 'p', 'Holm p'];
  const rows: string[][] = [[baseRow?.label ?? c.baseline, baseRow?.cells[c.split]?.mean?.toFixed(1) ?? 'n/a', 'baseline', '', '', '', '', '']];
  for (const f of c.flips) {
    const accuracy = c.table.find((row) => row.strategy === f.strategy)?.cells[c.split]?.mean;
    const s = f.significance;
    rows.push([
      f.label,
      accuracy?.toFixed(1) ?? 'n/a',
      s ? points(s.difference) : 'n/a',
      s ? `${points(s.low)} to ${points(s.high)}` : '',
      String(f.counts.rightToWrong),
      String(f.counts.wrongToRight),
      s ? formatP(s.p) : '',
      s ? formatP(s.pHolm) : '',
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const seeds = `${c.seeds.length} seed${c.seeds.length === 1 ? '' : 's'}`;
  const out = [`run ${c.runId} on ${c.split}, ${seeds}, against ${baseRow?.label ?? c.baseline}`, '', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  for (const f of c.flips) out.push(f.significance ? f.significance.sentence : `${f.label}: no seed has final evaluations of both on ${c.split}`);
  const iterations = c.flips.find((f) => f.significance)?.significance?.iterations;
  out.push('', `diff and 95% CI: percentage points, paired bootstrap over seeds and examples${iterations ? ` (${iterations} resamples, seeded)` : ''}; p: exact McNemar on the flips (R→W, W→R) pooled over seeds; Holm: adjusted over the strategies compared.`);
  return out.join('\n');
}

function runsComparisonText(c: RunsComparison): string {
  const head = ['strategy', `run ${c.runId} %`, `run ${c.otherRunId} %`, 'diff', '95% CI', 'R→W', 'W→R', 'p', 'Holm p'];
  const rows = c.strategies.map((r) => {
    const s = r.significance;
    return [
      r.label,
      r.accuracy?.toFixed(1) ?? 'n/a',
      r.otherAccuracy?.toFixed(1) ?? 'n/a',
      s ? points(s.difference) : 'n/a',
      s ? `${points(s.low)} to ${points(s.high)}` : '',
      String(r.counts.rightToWrong),
      String(r.counts.wrongToRight),
      s ? formatP(s.p) : '',
      s ? formatP(s.pHolm) : '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [`run ${c.otherRunId} against run ${c.runId} (${c.task}) on ${c.split}, strategy by strategy`, '', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  for (const r of c.strategies) out.push(r.significance ? r.significance.sentence : `${r.label}: no seed has final evaluations in both runs on ${c.split}`);
  for (const note of c.notes) out.push(`note: ${note}`);
  out.push('', `diff: run ${c.otherRunId} minus run ${c.runId}, percentage points; R→W: right in run ${c.runId}, wrong in run ${c.otherRunId}; p: exact McNemar pooled over the seeds both ran; Holm: adjusted over the strategies compared.`);
  return out.join('\n');
}
