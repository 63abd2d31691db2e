// The page cursor for row `position` of an unfiltered list in example order. It mirrors the
// keyset cursor core/api/example-results.ts encodes ({e: evaluation, s: sort, k: key, i: last
// example index}, base64url JSON): the API pages by cursor only, and this is what lets a scroll
// jump load one page instead of every page before it. The pager checks each page it gets this way
// and falls back to walking the cursor chain if rows are not where expected. If the API gains an
// `offset`, use that instead and delete this file.
import type { Evaluation } from './result-pager.ts';

export function seekCursor(evaluation: Evaluation, sort: string, position: number): string {
  const last = sort === 'index-desc' ? evaluation.n - position : position - 1;
  const json = JSON.stringify({ e: evaluation.id, s: sort, k: last, i: last });
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
