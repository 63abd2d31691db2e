// The Compare view's state lives in the URL (#/compare?runs=1,2&baseline=p&strategies=p,p -> w
// &split=test&sort=regressions&kind=all&of=p&flip=...), so a comparison can be shared, reloaded and bookmarked.
// The zero-shot program is the strategy '' — written `zero-shot` in the URL, because an empty
// parameter is dropped by replaceParams.

import { BASELINE_LABEL, parseStrategyOrBaseline, StrategyError, strategyListIssues } from '../../../../core/contract/strategy.ts';

export type FlipSort = 'regressions' | 'improvements' | 'index' | 'strategy';
export const FLIP_SORTS: readonly FlipSort[] = ['regressions', 'improvements', 'index', 'strategy'];
export type FlipKindFilter = 'all' | 'regressions' | 'improvements';

export interface CompareParams {
  runIds: number[];
  /** The strategy the others are compared with; default the zero-shot program (''). */
  baseline: string;
  /** null: every strategy of the selected runs. */
  strategies: string[] | null;
  split: 'dev' | 'test';
  sort: FlipSort;
  kind: FlipKindFilter;
  /** Only the flips of this strategy (null: of every selected strategy). */
  flipStrategy: string | null;
  /** The expanded flipped example, as its key (see flipKey). */
  flip: string | null;
}

export const ZERO_SHOT = '';
const ZERO_SHOT_PARAM = 'zero-shot';

export function strategyToParam(strategy: string): string {
  return strategy === ZERO_SHOT ? ZERO_SHOT_PARAM : strategy;
}

/** A strategy from the URL in the API's canonical text (`p->w` → `p -> w`); text the grammar refuses stays as written (it matches no strategy). */
export function strategyFromParam(value: string): string {
  try {
    return parseStrategyOrBaseline(value).key;
  } catch (error) {
    if (error instanceof StrategyError) return value.trim();
    throw error;
  }
}

export function strategyLabel(strategy: string): string {
  return strategy === ZERO_SHOT ? BASELINE_LABEL : strategy;
}

export function parseCompareParams(params: URLSearchParams): CompareParams {
  const runIds = (params.get('runs') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s))
    .map(Number)
    .filter((n, i, all) => n > 0 && all.indexOf(n) === i);
  const rawStrategies = params.get('strategies');
  const strategies = rawStrategies === null ? null : [...new Set(rawStrategies.split(',').filter((s) => s.trim() !== '').map(strategyFromParam))];
  const sort = params.get('sort');
  const kind = params.get('kind');
  return {
    runIds,
    baseline: strategyFromParam(params.get('baseline') ?? ''),
    strategies,
    split: params.get('split') === 'dev' ? 'dev' : 'test',
    sort: FLIP_SORTS.includes(sort as FlipSort) ? (sort as FlipSort) : 'regressions',
    kind: kind === 'regressions' || kind === 'improvements' ? kind : 'all',
    flipStrategy: params.has('of') ? strategyFromParam(params.get('of') ?? '') : null,
    flip: params.get('flip'),
  };
}

/** The strategies a run was configured with (RunSummary.strategy is `p, p -> w`), zero-shot first. */
export function runStrategies(strategyList: string): string[] {
  return [ZERO_SHOT, ...strategyListIssues(strategyList).strategies.map((s) => s.key)];
}
