// The strategy grammar: optimizer tokens joined by `->` (or `→`), e.g. `p -> w -> p`. Tokens
// name configured optimizers, so new ones plug in by registering a token.

export class StrategyError extends Error {
  override name = 'StrategyError';
}

export interface ParseStrategyOptions {
  /** Tokens that name an optimizer available in this run. */
  known: readonly string[];
}

export function parseStrategy(text: string, options: ParseStrategyOptions): string[] {
  const normalized = text.replace(/→/g, '->').trim();
  const valid = options.known.map((t) => `"${t}"`).join(', ');
  if (normalized === '') throw new StrategyError(`strategy is empty; use optimizer tokens joined by "->", e.g. "p" (valid tokens: ${valid})`);
  const steps = normalized.split('->').map((s) => s.trim());
  steps.forEach((step, i) => {
    if (step === '') {
      const where = i === 0 ? 'starts with "->"' : i === steps.length - 1 ? 'ends with "->"' : 'has "->" twice in a row';
      throw new StrategyError(`strategy "${text}" ${where}`);
    }
    if (!options.known.includes(step)) {
      throw new StrategyError(`strategy "${text}" names unknown optimizer "${step}"; valid tokens: ${valid}`);
    }
  });
  return steps;
}

export function formatStrategy(steps: readonly string[]): string {
  return steps.join(' -> ');
}
