// Predict: one LM call per invocation. Renders the signature, demos and inputs through the
// adapter, calls the bound LM, parses the completion and records a PredictorCall either way.

import { ParseError } from './adapter.ts';
import { isLMError } from '../lm/errors.ts';
import type { ChatMessage } from '../contract/views/program.ts';
import type { CallInfo } from '../lm/language-model.ts';
import { withRequestSeed } from '../lm/request-seed.ts';
import type { CallContext } from './context.ts';
import type { Demo } from './demo.ts';
import type { FieldValue, Prediction } from './example.ts';
import type { LMBinding } from '../lm/lm-binding.ts';
import type { Signature } from './signature.ts';
import type { CallError, PredictorCall } from './trace.ts';

export class PredictorError extends Error {
  override name = 'PredictorError';
  readonly call: PredictorCall;
  constructor(call: PredictorCall) {
    super(`${call.predictor}: ${call.error?.message ?? 'failed'}`);
    this.call = call;
  }
}

export class Predict {
  signature: Signature;
  demos: Demo[] = [];
  lm: LMBinding | null = null;
  /** Path in the owning program; set by `Module` walking, used in traces. */
  path = 'self';

  constructor(signature: Signature) {
    this.signature = signature;
  }

  clone(): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this);
    copy.demos = this.demos.map((d) => ({ ...d, fields: { ...d.fields } }));
    copy.lm = this.lm ? { ...this.lm } : null;
    return copy;
  }

  /** Runs the predictor; throws PredictorError (carrying the recorded call) on LM or parse failure. */
  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    const lm = ctx.resolveLM(this.lm);
    const startedAt = Date.now();
    const picked: Record<string, FieldValue> = {};
    for (const { name } of this.signature.inputs) picked[name] = inputs[name] ?? null;
    let messages: ChatMessage[] = [];
    const call: PredictorCall = {
      predictor: this.path,
      inputs: picked,
      messages,
      request: null,
      completion: null,
      outputs: null,
      parseFallback: null,
      model: lm.model,
      usage: { promptTokens: 0, completionTokens: 0 },
      latencyMs: 0,
      cached: false,
      attempts: 0,
      error: null,
      startedAt,
    };
    try {
      messages = ctx.adapter.format(this.signature, this.demos, picked);
      call.messages = messages;
      const request = withRequestSeed({ messages, ...ctx.sampling, ...(ctx.rolloutId !== undefined ? { rolloutId: ctx.rolloutId } : {}) }, ctx.seed);
      const { messages: _sent, ...asked } = request;
      call.request = { model: lm.model, ...asked };
      // The layers that serve the call (cache, retries, provider) say how they did through onCallInfo.
      const onCallInfo = (info: CallInfo) => {
        call.latencyMs = info.latencyMs;
        call.cached = info.cached;
        call.attempts = info.attempts;
      };
      const response = await lm.generate(request, ctx.signal ? { signal: ctx.signal, onCallInfo } : { onCallInfo });
      call.completion = response.text;
      call.model = response.response.modelId || lm.model;
      call.usage = response.usage;
      const parsed = ctx.adapter.parse(this.signature, response.text);
      call.outputs = parsed.fields;
      call.parseFallback = parsed.fallback;
    } catch (error) {
      call.error = describeError(error);
      if (isLMError(error)) call.attempts = error.attempts;
      call.latencyMs = call.latencyMs || Date.now() - startedAt;
    }
    ctx.calls.push(call);
    ctx.onCall?.(call);
    if (call.error) throw new PredictorError(call);
    return call.outputs!;
  }
}

function describeError(error: unknown): CallError {
  if (isLMError(error)) return { kind: `lm:${error.kind}`, message: error.message };
  if (error instanceof ParseError) return { kind: 'parse', message: error.message };
  return { kind: 'program', message: error instanceof Error ? error.message : String(error) };
}
