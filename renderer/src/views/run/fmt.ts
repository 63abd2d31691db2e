// Formatting for scores the API gives in percent (stage scores, table cells, curves).

/** A percent value with one decimal, or '—'. */
export function pp(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(digits)}%`;
}

/** Mean ± 95% CI half-width in percent points, or '—'. */
export function meanCi(mean: number | null | undefined, ci95: number | null | undefined): string {
  if (mean === null || mean === undefined) return '—';
  return ci95 === null || ci95 === undefined ? pp(mean) : `${mean.toFixed(1)} ± ${ci95.toFixed(1)}%`;
}

/** Compact token counts: 1234 → 1.2k. */
export function compact(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}

/** Ordinal step labels for curve axes: 0 → zero-shot, 1 → 1st step, … */
export function stepLabel(step: number): string {
  if (step === 0) return 'zero-shot';
  const suffix = step % 10 === 1 && step !== 11 ? 'st' : step % 10 === 2 && step !== 12 ? 'nd' : step % 10 === 3 && step !== 13 ? 'rd' : 'th';
  return `${step}${suffix} step`;
}
