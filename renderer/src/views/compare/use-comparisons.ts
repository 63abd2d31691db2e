// Loads one comparison per selected run (the API compares within a run). Every strategy of a run
// is fetched and the strategy selection is applied client-side, so toggling a strategy is
// instant and never trips the API's "unknown strategy" check. A run that fails (its baseline is
// not one of its strategies, it was not evaluated on the split) keeps its own error.
import { getClient } from '../../api/client.ts';
import type { Comparison } from '../../api/types.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { ApiCallError } from '../../api/transport.ts';

export interface RunComparison {
  runId: number;
  comparison: Comparison | null;
  error: ApiCallError | null;
}

export function useComparisons(runIds: number[], baseline: string, split: 'dev' | 'test') {
  const key = runIds.join(',');
  const state = useApi(
    () =>
      Promise.all(
        runIds.map(async (runId): Promise<RunComparison> => {
          try {
            return { runId, comparison: await getClient().getComparison({ runId, baseline, split }), error: null };
          } catch (error) {
            const e = error instanceof ApiCallError ? error : new ApiCallError({ message: error instanceof Error ? error.message : String(error) });
            return { runId, comparison: null, error: e };
          }
        }),
      ),
    [key, baseline, split],
  );
  // A selected run that is still going gets new stage results: reload, at most every 3 s.
  const reload = useThrottled(state.reload, 3000);
  useApiEvents((event) => {
    if (event.type === 'run-status' && runIds.includes(event.runId)) reload();
    if (event.type === 'run-event' && runIds.includes(event.runId) && event.event.type === 'stage-end') reload();
  });
  return state;
}
