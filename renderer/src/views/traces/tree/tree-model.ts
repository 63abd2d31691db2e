// Groups a trace's LM calls by predictor (module path), in order of first call: the middle level
// of program → module → LM calls.
import type { TraceDetail } from '../../../api/types.ts';

export type TraceCall = TraceDetail['trace']['calls'][number];

export interface ModuleGroup {
  path: string;
  calls: TraceCall[];
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  cachedCalls: number;
  errors: number;
}

export function groupByModule(calls: readonly TraceCall[]): ModuleGroup[] {
  const groups = new Map<string, ModuleGroup>();
  for (const call of calls) {
    let g = groups.get(call.predictor);
    if (!g) {
      g = emptyGroup(call.predictor);
      groups.set(call.predictor, g);
    }
    addCall(g, call);
  }
  return [...groups.values()];
}

export function emptyGroup(path: string): ModuleGroup {
  return { path, calls: [], promptTokens: 0, completionTokens: 0, latencyMs: 0, cachedCalls: 0, errors: 0 };
}

/** Adds a call to its module's group, with its tokens, latency, cache hit and error. */
export function addCall(g: ModuleGroup, call: TraceCall): void {
  g.calls.push(call);
  g.promptTokens += call.usage.promptTokens;
  g.completionTokens += call.usage.completionTokens;
  g.latencyMs += call.latencyMs;
  if (call.cached) g.cachedCalls++;
  if (call.error) g.errors++;
}

/** Milliseconds with a unit, precise for short calls. */
export function ms(value: number): string {
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}
