// How a difference and a p-value are written wherever significance is shown (CLI, reports,
// the workbench): one place, so every front end prints the same numbers the same way.

/** A p-value as people write it: "< 0.001", else two significant digits ("0.012", "0.50"). */
export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

/** A difference in percentage points with its sign: "+4.2", "−1.0" (a true minus sign). */
export function signedPoints(v: number): string {
  return v < 0 ? `−${Math.abs(v).toFixed(1)}` : `+${v.toFixed(1)}`;
}
