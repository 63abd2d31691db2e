// Labels, sorting and the baseline of a stage's random-search candidates.
import type { CandidateView } from '../../api/types.ts';

/** How the candidate was built (core/optimize/random-search.ts). */
export const KIND_LABEL: Record<string, string> = {
  'zero-shot': 'zero-shot',
  labeled: 'labeled demos',
  bootstrap: 'bootstrapped',
  shuffled: 'bootstrapped, shuffled',
};
export const kindLabel = (kind: string) => KIND_LABEL[kind] ?? kind;

export type SortKey = 'idx' | 'kind' | 'seed' | 'numDemos' | 'score';
export interface SortState {
  key: SortKey;
  desc: boolean;
}

/** Sorted copy; candidates without a score go last either way. */
export function sortCandidates(list: readonly CandidateView[], sort: SortState): CandidateView[] {
  const dir = sort.desc ? -1 : 1;
  return [...list].sort((a, b) => {
    const va = a[sort.key];
    const vb = b[sort.key];
    if (va === null || vb === null) return va === vb ? a.idx - b.idx : va === null ? 1 : -1;
    const c = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number);
    return c !== 0 ? c * dir : a.idx - b.idx;
  });
}

/** The candidate instructions are compared with: the zero-shot one, else the first. */
export function baselineOf(list: readonly CandidateView[]): CandidateView | undefined {
  return list.find((c) => c.kind === 'zero-shot') ?? [...list].sort((a, b) => a.idx - b.idx)[0];
}

export function winnerOf(list: readonly CandidateView[]): CandidateView | undefined {
  return list.find((c) => c.isBest);
}
