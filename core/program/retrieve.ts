// Retrieve: query -> the top k passages from the run's retriever, recorded in the trace as its
// own node (query, passages with ids, titles and scores, backend, latency), placed among the
// trace's LM calls. It holds no learnable state, so optimizers pass it by; a program names it
// like a predictor (`retrieve`, `hops[1].retrieve`) and its path shows in traces.

import type { RetrievalCall, RetrievedPassage } from '../contract/views/program.ts';
import { isRetrieveError, RetrieveError } from '../retrieve/errors.ts';
import type { RetrieveInfo } from '../retrieve/retriever.ts';
import type { CallContext } from './context.ts';
import type { CallError } from './trace.ts';

export class RetrieveFailure extends Error {
  override name = 'RetrieveFailure';
  readonly call: RetrievalCall;
  constructor(call: RetrievalCall) {
    super(`${call.module}: ${call.error?.message ?? 'retrieval failed'}`);
    this.call = call;
  }
}

export class Retrieve {
  /** Path in the owning program; set by `Module` walking, used in traces. */
  path = 'retrieve';

  constructor(readonly k = 3) {
    if (!Number.isInteger(k) || k < 1) throw new RetrieveError('config', `Retrieve needs a whole number k >= 1 of passages, got ${k}`);
  }

  /** The top k passages for `query`; throws RetrieveFailure (carrying the recorded call) when the backend fails. */
  async forward(query: string, ctx: CallContext): Promise<RetrievedPassage[]> {
    const retriever = ctx.retriever;
    const startedAt = Date.now();
    const call: RetrievalCall = {
      module: this.path,
      query,
      k: this.k,
      backend: retriever?.backend ?? 'none',
      retriever: retriever?.id ?? 'none',
      passages: [],
      latencyMs: 0,
      cached: false,
      attempts: 0,
      error: null,
      startedAt,
      afterCalls: ctx.calls.length,
    };
    try {
      if (!retriever) throw new RetrieveError('config', 'this program retrieves, but the run has no retriever: a task whose program uses Retrieve declares `retrieval` (defineTask) so that runs get one');
      const onRetrieveInfo = (info: RetrieveInfo) => {
        call.latencyMs = info.latencyMs;
        call.cached = info.cached;
        call.attempts = info.attempts;
      };
      const passages = await retriever.retrieve({ query, k: this.k }, ctx.signal ? { signal: ctx.signal, onRetrieveInfo } : { onRetrieveInfo });
      call.passages = passages.slice(0, this.k).map(({ id, title, text, score }) => ({ id, title, text, score }));
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      call.error = describeError(error);
      if (isRetrieveError(error)) call.attempts = error.attempts;
      call.latencyMs = call.latencyMs || Date.now() - startedAt;
    }
    ctx.retrievals.push(call);
    if (call.error) throw new RetrieveFailure(call);
    return call.passages;
  }
}

function describeError(error: unknown): CallError {
  if (isRetrieveError(error)) return { kind: `retrieve:${error.kind}`, message: error.message };
  return { kind: 'retrieve', message: error instanceof Error ? error.message : String(error) };
}
