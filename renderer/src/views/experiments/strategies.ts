// Quick picks for the strategies field: the paper's strategies (the zero-shot baseline always
// runs, so "all" gives the paper's eight rows) and helpers to toggle one in the comma list. The
// grammar, the list syntax and the paper's list are the contract's; which tokens exist is the
// backend's step registry's (`listStepKinds`). Entries the grammar refuses are left in the text
// as typed, for the server's check to name; they never count as chosen.
import { PAPER_STRATEGIES, strategyListIssues, type Strategy } from '../../../../core/contract/strategy.ts';
import { WORKBENCH_DEMO_DEFAULTS } from '../../../../core/contract/defaults.ts';

export { PAPER_STRATEGIES };

/** The demo card's strategies (the contract's workbench demo). */
export const DEMO_STRATEGIES = WORKBENCH_DEMO_DEFAULTS.strategies;

/** The field's strategies that parse, in canonical form; `known`: the registered tokens, once listed. */
export function parseStrategies(text: string, known?: readonly string[]): Strategy[] {
  return strategyListIssues(text, known ? { known } : {}).strategies;
}

/** The canonical texts of the field's strategies that parse (`p->w` → `p -> w`). */
export function parseList(text: string, known?: readonly string[]): string[] {
  return parseStrategies(text, known).map((s) => s.key);
}

/** Adds the strategy to the comma list, or removes it when present; entries that do not parse stay, after the others. */
export function toggle(text: string, strategy: string, known?: readonly string[]): string {
  const { strategies, issues } = strategyListIssues(text, known ? { known } : {});
  const list = strategies.map((s) => s.key);
  const next = list.includes(strategy) ? list.filter((s) => s !== strategy) : [...list, strategy];
  const unparsed = issues.map((i) => i.input.trim()).filter((input) => input !== '');
  return [...next, ...unparsed].join(', ');
}
