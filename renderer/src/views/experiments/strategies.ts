// Quick picks for the strategies field: the paper's strategies (the zero-shot baseline always
// runs, so "all" gives the paper's eight rows) and helpers to toggle one in the comma list. The
// grammar and the paper's list are the contract's; which steps need a trainer is the backend's
// step registry's (`listStepKinds`).
import { PAPER_STRATEGIES, formatStrategy, stepsOf } from '../../../../core/contract/strategy.ts';
import { WORKBENCH_DEMO_DEFAULTS } from '../../../../core/contract/defaults.ts';
import type { StepInfo } from '../../api/types.ts';

export { PAPER_STRATEGIES };

/** The demo card's strategies (the contract's workbench demo). */
export const DEMO_STRATEGIES = WORKBENCH_DEMO_DEFAULTS.strategies;

/**
 * Normalizes a strategy the way the server does for comparison (`p->w` → `p -> w`). Forgiving
 * while the user types: empty steps are dropped here; the server's check reports them.
 */
export function normalize(strategy: string): string {
  return formatStrategy(
    strategy
      .replace(/→/g, '->')
      .toLowerCase()
      .split('->')
      .map((step) => step.trim())
      .filter(Boolean),
  );
}

export function parseList(text: string): string[] {
  if (text.trim().toLowerCase() === 'all') return [...PAPER_STRATEGIES];
  return text.split(',').map(normalize).filter(Boolean);
}

/** Adds the strategy to the comma list, or removes it when present. */
export function toggle(text: string, strategy: string): string {
  const list = parseList(text);
  const next = list.includes(strategy) ? list.filter((s) => s !== strategy) : [...list, strategy];
  return next.join(', ');
}

/** Whether any strategy of the list has a step whose kind trains weights (so a remote model needs a trainer). */
export function needsFinetuner(text: string, kinds: readonly StepInfo[]): boolean {
  const training = new Set(kinds.filter((k) => k.needsFinetuner).map((k) => k.token));
  return parseList(text).some((s) => stepsOf(s).some((step) => training.has(step)));
}
