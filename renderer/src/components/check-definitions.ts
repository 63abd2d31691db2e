// The labels and descriptions of a run's intermediate checks (its task's, from the run's results:
// `results.checks.definitions`), asked once per run and shared by every trace of it; and how a
// check's value reads (`recall@hop1 50%`).
import { useEffect, useState } from 'react';
import { getClient } from '../api/client.ts';
import type { CheckInfo } from '../api/types.ts';

const cache = new Map<number, Promise<CheckInfo[]>>();

function load(runId: number): Promise<CheckInfo[]> {
  let p = cache.get(runId);
  if (!p) {
    p = getClient()
      .getRun({ runId })
      .then((d) => {
        const defs = d.results.checks?.definitions ?? [];
        if (defs.length === 0) cache.delete(runId); // none (yet): asked again next time
        return defs;
      });
    p.catch(() => cache.delete(runId)); // asked again next time
    cache.set(runId, p);
  }
  return p;
}

/** The run's check definitions; empty until they arrive (or when `enabled` is false or the run has none). */
export function useCheckDefinitions(runId: number, enabled = true): readonly CheckInfo[] {
  const [defs, setDefs] = useState<readonly CheckInfo[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    load(runId).then(
      (d) => live && setDefs(d),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [runId, enabled]);
  return defs;
}

/** A check value in [0, 1] as a whole percentage, or n/a (the check did not apply). */
export function checkValueText(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${Math.round(value * 100)}%`;
}

/** Checks in the order the task defines them, then any the definitions do not name. */
export function orderedChecks(values: Readonly<Record<string, number | null>>, defs: readonly CheckInfo[]): Array<{ name: string; label: string; description: string | null; value: number | null }> {
  const known = defs.filter((d) => d.name in values).map((d) => ({ name: d.name, label: d.label, description: d.description, value: values[d.name] ?? null }));
  const named = new Set(defs.map((d) => d.name));
  const rest = Object.keys(values)
    .filter((n) => !named.has(n))
    .sort()
    .map((n) => ({ name: n, label: n, description: null, value: values[n] ?? null }));
  return [...known, ...rest];
}
