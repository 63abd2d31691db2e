// The rule between strategies and the fine-tuning backend: a step whose kind trains weights needs
// one. The spec builder applies it with the registry's step kinds; the workbench's form applies it
// with the kinds the API lists, so it warns with the text the server would refuse with.
//
// Pure TypeScript: no Node, SQLite or React.

import type { LMProvider } from './providers.ts';
import { findStrategyWithStep, type StepInfo, type Strategy } from './strategy.ts';

/**
 * Why these strategies cannot run without a fine-tuning backend, or null when they can. `kinds`
 * says which steps train weights; a token it does not list is taken not to.
 */
export function finetunerIssue(strategies: readonly Strategy[], kinds: readonly StepInfo[], provider: LMProvider, hasBackend: boolean): string | null {
  if (hasBackend) return null;
  const training = new Set(kinds.filter((k) => k.needsFinetuner).map((k) => k.token));
  const needsFinetuner = (token: string) => training.has(token);
  const strategy = findStrategyWithStep(strategies, needsFinetuner);
  if (!strategy) return null;
  const step = strategy.steps.find(needsFinetuner)!;
  return `strategy "${strategy.key}" has a "${step}" (fine-tuning) step, but provider "${provider}" has no fine-tuning backend; use a model on the local engine, give a fine-tuning command, or fine-tune through the server's API (hosted)`;
}

/** The tokens of the step kinds that train weights (for wording what needs a fine-tuner). */
export function finetuningTokens(kinds: readonly StepInfo[]): string[] {
  return kinds.filter((k) => k.needsFinetuner).map((k) => k.token);
}
