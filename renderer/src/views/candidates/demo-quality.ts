// How good a candidate's bootstrapped demos were, in words: per intermediate check of the task,
// the mean over the traces the demos came from and how many were at 100% ("recall@hop2 75% · 1 of
// 2 demo traces at 100%"), and per demo the checks of its own source trace with a ✓/✗ mark (text,
// not colour alone). Labels and descriptions come from the run's check definitions.
import type { CandidateView, CheckInfo, CheckValues } from '../../api/types.ts';
import { checkValueText, orderedChecks } from '../../components/check-definitions.ts';

export type DemoChecks = CandidateView['demoChecks'];

export interface DemoQualityLine {
  name: string;
  label: string;
  description: string | null;
  mean: number | null;
  /** Traces measured (the check applied to them). */
  n: number;
  /** Of those, how many had the check at 1. */
  full: number;
  /** `recall@hop2 75% · 1 of 2 demo traces at 100%`. */
  text: string;
  /** `1/2`: the compact form for a table cell. */
  short: string;
}

/** The demo-set quality per check, in the task's order; checks no trace was measured on are left out. */
export function demoQuality(checks: DemoChecks, defs: readonly CheckInfo[]): DemoQualityLine[] {
  const means = Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, c.mean]));
  return orderedChecks(means, defs).flatMap((c) => {
    const q = checks[c.name];
    if (!q || q.n === 0) return [];
    const of = `${q.full} of ${q.n} demo ${q.n === 1 ? 'trace' : 'traces'} at 100%`;
    return [{ name: c.name, label: c.label, description: c.description, mean: q.mean, n: q.n, full: q.full, text: `${c.label} ${checkValueText(q.mean)} · ${of}`, short: `${q.full}/${q.n}` }];
  });
}

export interface SourceCheckBadge {
  name: string;
  label: string;
  /** ✓ at 100%, ✗ below, none when the check did not apply. */
  mark: '✓' | '✗' | '';
  /** `100%`, or `n/a`. */
  value: string;
  /** `recall@hop2 100% ✓`. */
  text: string;
  /** What the badge means, for its tooltip. */
  title: string;
  full: boolean;
  zero: boolean;
}

/** A demo's source-trace checks as badges, in the task's order; none for a labeled demo (null). */
export function sourceCheckBadges(checks: CheckValues | null, defs: readonly CheckInfo[]): SourceCheckBadge[] {
  if (!checks) return [];
  return orderedChecks(checks, defs).map((c) => {
    const applies = c.value !== null && Number.isFinite(c.value);
    const mark = !applies ? '' : c.value === 1 ? '✓' : '✗';
    const value = checkValueText(c.value);
    const verdict = !applies ? 'did not apply' : c.value === 1 ? 'at 100%' : 'below 100%';
    return {
      name: c.name,
      label: c.label,
      mark,
      value,
      text: mark ? `${c.label} ${value} ${mark}` : `${c.label} ${value}`,
      title: `${c.label} of the trace this demo was taken from: ${value} (${verdict})${c.description ? `. ${c.description}` : ''}`,
      full: c.value === 1,
      zero: c.value === 0,
    };
  });
}

/** The checks measured on some candidate's demo traces, in the task's order. */
export function measuredChecks(rows: readonly CandidateView[], defs: readonly CheckInfo[]): Array<{ name: string; label: string; module: string | null }> {
  const names = new Set(rows.flatMap((c) => Object.entries(c.demoChecks).flatMap(([name, q]) => (q.n > 0 ? [name] : []))));
  const present = Object.fromEntries([...names].map((n) => [n, null]));
  return orderedChecks(present, defs).map((c) => ({ name: c.name, label: c.label, module: defs.find((d) => d.name === c.name)?.module ?? null }));
}

/**
 * The check the candidates table shows first: the last one that judges an intermediate step (not
 * the final module, whose output the metric already judged: every demo trace passed it), e.g.
 * HotPotQA's recall after both hops ("both gold paragraphs found"); else the first.
 */
export function defaultQualityCheck(checks: ReadonlyArray<{ name: string; module: string | null }>, finalModule: string | null): string | null {
  const intermediate = checks.filter((c) => c.module !== finalModule);
  return (intermediate[intermediate.length - 1] ?? checks[0])?.name ?? null;
}
