// The cost-per-strategy table of reports: each strategy's attributed cost per seed (its whole
// chain, shared prefixes included), dollars where prices are given, and what its accuracy gain
// over zero-shot cost, on the run's main split (test when evaluated, else dev).

import { costMeasure, dollarsOf, type Prices } from '../contract/cost.ts';
import type { RunResults } from '../contract/views/results.ts';

export interface CostTable {
  split: string;
  head: string[];
  rows: string[][];
  notes: string[];
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');

export function costTable(results: RunResults, prices: Prices | null): CostTable | null {
  if (results.strategyCosts.length === 0) return null;
  const split = results.splits.includes('test') ? 'test' : (results.splits[0] ?? 'dev');
  const baseline = results.rows.find((r) => r.strategy === '')?.cells[split]?.mean ?? null;
  const head = ['strategy', `${split} %`, 'LM calls', 'prompt tokens', 'completion tokens', 'seconds', 'fine-tune seconds', ...(prices ? ['dollars'] : []), 'gain (points)', prices ? 'points per dollar' : 'points per 1M tokens'];
  const rows = results.strategyCosts.map((s) => {
    const accuracy = results.rows.find((r) => r.strategy === s.strategy)?.cells[split]?.mean ?? null;
    const c = s.attributed;
    const gain = accuracy !== null && baseline !== null && s.strategy !== '' ? accuracy - baseline : null;
    const spend = prices ? dollarsOf(c, prices) : costMeasure(c, 'tokens', null)! / 1e6;
    const efficiency = gain !== null && spend > 0 ? (gain / spend).toFixed(prices ? 1 : 2) : '';
    return [
      s.label,
      accuracy !== null ? accuracy.toFixed(1) : 'n/a',
      s.seeds > 0 ? int(c.lmCalls) : 'n/a',
      s.seeds > 0 ? int(c.promptTokens) : '',
      s.seeds > 0 ? int(c.completionTokens) : '',
      s.seeds > 0 ? c.seconds.toFixed(0) : '',
      s.seeds > 0 ? c.finetuneSeconds.toFixed(0) : '',
      ...(prices ? [s.seeds > 0 ? `$${dollarsOf(c, prices).toFixed(2)}` : ''] : []),
      gain !== null ? (gain >= 0 ? `+${gain.toFixed(1)}` : gain.toFixed(1)) : '',
      efficiency,
    ];
  });
  const t = results.treeCost.total;
  const notes = [
    'Mean per seed; a strategy is charged for every stage of its chain after zero-shot, shared prefixes included (what running it alone would take). Cached calls are counted.',
    `The whole run, each stage once: ${int(t.lmCalls)} LM calls, ${int(t.promptTokens + t.completionTokens)} tokens, ${t.seconds.toFixed(0)} s (${t.finetuneSeconds.toFixed(0)} s fine-tuning)${prices ? `, $${dollarsOf(t, prices).toFixed(2)}` : ''}.`,
    ...(prices ? [`Prices: $${prices.inputPerMillion} per 1M prompt tokens, $${prices.outputPerMillion} per 1M completion tokens, $${prices.finetunePerHour} per fine-tune hour.`] : []),
  ];
  return { split, head, rows, notes };
}
