// The strategy grammar, the one place that knows it: optimizer step tokens joined by `->` (or
// `→`), e.g. `p -> w -> p`. A strategy is parsed once into a `Strategy` value; everything else
// (the runner's prefix tree, reports, comparisons, the workbench) works on its steps. Which
// tokens exist is not a fact of the grammar: step kinds register themselves in the runner
// (core/runner/steps/registry.ts) and front ends learn them through the API (`listStepKinds`).
//
// Pure TypeScript: no Node, SQLite or React, so every front end can import it.

export class StrategyError extends Error {
  override name = 'StrategyError';
}

/** The text a step list is written as, and the separator between steps. */
export const STEP_SEPARATOR = ' -> ';

/** Words that name the zero-shot baseline (the empty strategy) where a strategy is asked for. */
export const BASELINE_ALIASES = ['zero-shot', 'baseline', 'vanilla'] as const;

/** How tables and the workbench name the baseline (the empty strategy). */
export const BASELINE_LABEL = 'vanilla zero-shot';

/** The paper's Table 1 rows besides vanilla zero-shot (which always runs as the tree's root). */
export const PAPER_STRATEGIES = ['p', 'w', 'p -> p', 'w -> w', 'p -> w', 'w -> p', 'p -> w -> p'] as const;

/** A parsed strategy: its steps in order and its canonical text (`p -> w`; '' for the baseline). */
export interface Strategy {
  readonly steps: readonly string[];
  readonly key: string;
}

/** What a front end knows about a step kind: its token, a name for labels, what it needs. */
export interface StepInfo {
  /** The letter (or word) used in strategies, e.g. `p`. */
  token: string;
  /** A short human name, e.g. "prompt optimization (Π)". */
  name: string;
  /** Whether the step trains weights, so a run needs a fine-tuning backend to use it. */
  needsFinetuner: boolean;
  /** What a live view shows when a stage of this kind starts, before its first progress event. */
  firstActivity?: string;
}

export interface ParseStrategyOptions {
  /** Tokens that name a step kind available here; absent: any token the grammar accepts. */
  known?: readonly string[];
}

const TOKEN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The baseline: no steps. */
export const BASELINE: Strategy = Object.freeze({ steps: Object.freeze([]) as readonly string[], key: '' });

export function strategyOf(steps: readonly string[]): Strategy {
  return { steps: [...steps], key: steps.join(STEP_SEPARATOR) };
}

/** Parses one strategy. The empty text is an error here; see `parseStrategyOrBaseline`. */
export function parseStrategy(text: string, options: ParseStrategyOptions = {}): Strategy {
  const normalized = text.replace(/→/g, '->').trim();
  const known = options.known;
  const valid = known ? ` (valid tokens: ${known.map((t) => `"${t}"`).join(', ')})` : '';
  if (normalized === '') throw new StrategyError(`strategy is empty; use optimizer tokens joined by "->", e.g. "p"${valid}`);
  const steps = normalized.split('->').map((s) => s.trim());
  steps.forEach((step, i) => {
    if (step === '') {
      const where = i === 0 ? 'starts with "->"' : i === steps.length - 1 ? 'ends with "->"' : 'has "->" twice in a row';
      throw new StrategyError(`strategy "${text}" ${where}`);
    }
    if (known ? !known.includes(step) : !TOKEN.test(step)) {
      const list = known ? `; valid tokens: ${known.map((t) => `"${t}"`).join(', ')}` : '; a token is a letter followed by letters, digits or _';
      throw new StrategyError(`strategy "${text}" names unknown optimizer "${step}"${list}`);
    }
  });
  return strategyOf(steps);
}

/** Like `parseStrategy`, but '' and the baseline's aliases give the baseline. */
export function parseStrategyOrBaseline(text: string, options: ParseStrategyOptions = {}): Strategy {
  const trimmed = text.trim();
  if (trimmed === '' || (BASELINE_ALIASES as readonly string[]).includes(trimmed.toLowerCase())) return BASELINE;
  return parseStrategy(trimmed, options);
}

/** The steps of a strategy already in canonical form (a stored prefix or key): '' → []. */
export function stepsOf(key: string): string[] {
  return key === '' ? [] : key.split(STEP_SEPARATOR);
}

export function formatStrategy(steps: readonly string[]): string {
  return steps.join(STEP_SEPARATOR);
}

/** The strategy without its last step (the baseline's parent is itself). */
export function parentOf(strategy: Strategy): Strategy {
  return strategyOf(strategy.steps.slice(0, -1));
}

/** Every non-empty prefix of the strategy, shortest first: `p -> w` → [`p`, `p -> w`]. */
export function prefixesOf(strategy: Strategy): Strategy[] {
  return strategy.steps.map((_, i) => strategyOf(strategy.steps.slice(0, i + 1)));
}

/**
 * A list of strategies: a comma-separated text (`"p, p -> w"`; `"all"` for the paper's seven)
 * or an array. Deduplicated by canonical text, order kept. Throws the first error; use
 * `strategyListIssues` to collect them all.
 */
export function parseStrategyList(value: string | readonly string[], options: ParseStrategyOptions = {}): Strategy[] {
  const { strategies, issues } = strategyListIssues(value, options);
  if (issues.length > 0) throw new StrategyError(issues[0]!.message);
  return strategies;
}

export interface StrategyListIssue {
  /** Index in the array (absent when the list was one text). */
  index?: number;
  /** The entry, trimmed; messages quote it so. */
  input: string;
  message: string;
}

export function strategyListIssues(value: string | readonly string[], options: ParseStrategyOptions = {}): { strategies: Strategy[]; issues: StrategyListIssue[] } {
  const fromText = typeof value === 'string';
  const parts: readonly string[] = fromText ? (value.trim().toLowerCase() === 'all' ? PAPER_STRATEGIES : value.split(',')) : value;
  const strategies: Strategy[] = [];
  const issues: StrategyListIssue[] = [];
  parts.forEach((entry, i) => {
    const part = entry.trim();
    try {
      const strategy = parseStrategy(part, options);
      if (!strategies.some((s) => s.key === strategy.key)) strategies.push(strategy);
    } catch (error) {
      const message = error instanceof StrategyError ? error.message : String(error);
      issues.push({ input: part, message, ...(fromText ? {} : { index: i }) });
    }
  });
  return { strategies, issues };
}

/** Whether any of the strategies has a step the predicate picks (e.g. one that needs a fine-tuner). */
export function findStrategyWithStep(strategies: readonly Strategy[], pick: (token: string) => boolean): Strategy | undefined {
  return strategies.find((s) => s.steps.some(pick));
}
