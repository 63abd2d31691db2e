// The optimizer steps the backend has registered (`listStepKinds`): their tokens, names for
// labels, and which need a fine-tuning backend. Asked once per window; the list does not change
// while the backend runs.
import { useEffect, useState } from 'react';
import { getClient } from '../api/client.ts';
import type { StepInfo } from '../api/types.ts';

let loading: Promise<StepInfo[]> | null = null;
let loaded: StepInfo[] | null = null;

function loadStepKinds(): Promise<StepInfo[]> {
  loading ??= getClient()
    .listStepKinds()
    .then(
      (kinds) => (loaded = Array.isArray(kinds) ? kinds : []),
      (error: unknown) => {
        loading = null; // asked again by the next view that needs it
        throw error;
      },
    );
  return loading;
}

/** The registered step kinds; empty until the backend answered (or when it could not). */
export function useStepKinds(): readonly StepInfo[] {
  const [kinds, setKinds] = useState<readonly StepInfo[]>(loaded ?? []);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    loadStepKinds().then(
      (k) => live && setKinds(k),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return kinds;
}

/** The step kinds known now, for code outside React (the live store); asks the backend once if not yet. */
export function currentStepKinds(): readonly StepInfo[] {
  if (!loaded) loadStepKinds().catch(() => {});
  return loaded ?? [];
}

/** Whether the stage kind is a registered step that trains weights (a fine-tune job shows its work). */
export function needsFinetuner(kind: string, kinds: readonly StepInfo[]): boolean {
  return kinds.some((k) => k.token === kind && k.needsFinetuner);
}

/** A stage kind's name for a label: the step kind's name, the zero-shot program, or the token itself. */
export function stageKindName(kind: string, kinds: readonly StepInfo[]): string {
  if (kind === 'baseline') return 'zero-shot program';
  return kinds.find((k) => k.token === kind)?.name ?? kind;
}

/** Tests install the list the backend would give. */
export function setStepKinds(kinds: StepInfo[] | null): void {
  loaded = kinds;
  loading = kinds ? Promise.resolve(kinds) : null;
}
