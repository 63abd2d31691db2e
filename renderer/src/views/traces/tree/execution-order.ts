// A trace's nodes in the order they ran: LM calls grouped into module nodes (consecutive calls of
// one predictor), with each retrieval placed after the LM calls that came before it
// (`afterCalls`). A trace without retrievals keeps the module grouping of groupByModule.
import { addCall, emptyGroup, groupByModule, type ModuleGroup, type TraceCall } from './tree-model.ts';
import type { TraceDetail } from '../../../api/types.ts';

export type TraceRetrieval = NonNullable<TraceDetail['trace']['retrievals']>[number];

export type TraceNode = { kind: 'module'; key: string; group: ModuleGroup } | { kind: 'retrieval'; key: string; retrieval: TraceRetrieval; index: number };

export function executionOrder(calls: readonly TraceCall[], retrievals: readonly TraceRetrieval[] | undefined): TraceNode[] {
  if (!retrievals || retrievals.length === 0) return groupByModule(calls).map((group) => ({ kind: 'module', key: `m:${group.path}`, group }));
  // Stable: retrievals with the same afterCalls keep their stored order.
  const pending = retrievals.map((retrieval, index) => ({ retrieval, index })).sort((a, b) => a.retrieval.afterCalls - b.retrieval.afterCalls || a.index - b.index);
  const nodes: TraceNode[] = [];
  let current: ModuleGroup | null = null;
  let next = 0;
  const flush = (before: number) => {
    while (next < pending.length && pending[next]!.retrieval.afterCalls <= before) {
      const { retrieval, index } = pending[next++]!;
      nodes.push({ kind: 'retrieval', key: `r:${index}`, retrieval, index });
      current = null;
    }
  };
  calls.forEach((call, i) => {
    flush(i);
    if (!current || current.path !== call.predictor) {
      current = emptyGroup(call.predictor);
      nodes.push({ kind: 'module', key: `m:${call.predictor}:${i}`, group: current });
    }
    addCall(current, call);
  });
  flush(Infinity);
  return nodes;
}

/** The example's gold supporting titles (labels.gold_titles), or an empty set. */
export function goldTitles(labels: Readonly<Record<string, unknown>> | null | undefined): ReadonlySet<string> {
  const value = labels?.gold_titles;
  if (!Array.isArray(value)) return new Set();
  return new Set(value.filter((t): t is string => typeof t === 'string').map((t) => t.trim()));
}
