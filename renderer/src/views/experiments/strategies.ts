// Quick picks for the strategies field: the paper's strategies (the zero-shot baseline always
// runs, so "all" gives the paper's eight rows) and helpers to toggle one in the comma list.

export const PAPER_STRATEGIES = ['p', 'w', 'p -> p', 'w -> w', 'p -> w', 'w -> p', 'p -> w -> p'] as const;

/** The demo: short enough for a first launch on the embedded model. */
export const DEMO_STRATEGIES = 'p, w, p -> w';

/** Normalizes a strategy the way the server does for comparison (`p->w` → `p -> w`). */
export function normalize(strategy: string): string {
  return strategy
    .trim()
    .toLowerCase()
    .split(/\s*->\s*/)
    .filter(Boolean)
    .join(' -> ');
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

/** Whether the strategy uses fine-tuning (needs a trainer). */
export function hasWeightStep(text: string): boolean {
  return parseList(text).some((s) => s.split(' -> ').includes('w'));
}
