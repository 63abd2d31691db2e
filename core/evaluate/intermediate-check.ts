// Intermediate checks: the quality of a module's output measured against gold that exists for
// the steps in between (e.g. did hop 1's retrieval find a supporting paragraph?). BetterTogether
// bootstraps from traces whose final answer is right and assumes their intermediate steps are
// good; a task that has gold for those steps declares checks, and every trace of an example is
// measured: evaluation traces (per stage and split) and the traces demos and training rows come from.

import type { CheckValues, ProgramTrace } from '../program/trace.ts';
import type { Example } from '../program/example.ts';

export interface IntermediateCheck {
  /** Key in stored check values, e.g. `recall_hop1`. */
  readonly name: string;
  /** Short label for tables, e.g. `recall@hop1`. */
  readonly label: string;
  /** Path of the module whose output it judges, e.g. `generate_query[0]`. */
  readonly module: string;
  readonly description: string;
  /** In [0, 1]; null when the check does not apply to this trace (e.g. the program failed before the step). */
  measure(trace: ProgramTrace, example: Example): number | null;
}

/**
 * Measures every check on the trace and stores the values on it. A check that throws is a bug in
 * the task: its value is null and the failure is recorded on the trace like a failing metric, so
 * it is counted and seen, never hidden.
 */
export function applyChecks(checks: readonly IntermediateCheck[] | undefined, trace: ProgramTrace, example: Example): void {
  if (!checks || checks.length === 0) return;
  const values: CheckValues = {};
  for (const check of checks) {
    try {
      const value = check.measure(trace, example);
      if (value !== null && !Number.isFinite(value)) throw new Error(`returned ${value}`);
      values[check.name] = value === null ? null : Math.min(1, Math.max(0, value));
    } catch (error) {
      values[check.name] = null;
      trace.error ??= { kind: 'check', message: `${check.name}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  trace.checks = values;
}
