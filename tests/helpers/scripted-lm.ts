// A deterministic language model for unit tests: replies come from a function or a list, every
// request is recorded, and an optional latency makes concurrency observable. It reports each
// call as one uncached attempt taking its scripted latency. Integration tests
// use the stub HTTP server instead (tests/fixtures/stub-openai-server.ts).

import { cancelledError, sleep } from '../../core/lm/concurrency.ts';
import { LMError } from '../../core/lm/errors.ts';
import type { ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from '../../core/lm/language-model.ts';

/** Returns the completion text for a request; may throw (e.g. an LMError) to script a failure. */
export type ScriptFn = (request: ChatRequest, index: number) => string | Promise<string>;

export interface ScriptedLMOptions {
  model?: string;
  /** Defaults to `scripted:<model>`. */
  id?: string;
  /** Milliseconds each call takes (a number, or a function of the call index). */
  latencyMs?: number | ((index: number) => number);
}

export class ScriptedLM implements LanguageModel {
  readonly id: string;
  readonly model: string;
  /** Every request received, in call order. */
  readonly requests: ChatRequest[] = [];
  private readonly script: ScriptFn;
  private readonly latency: (index: number) => number;
  private active = 0;
  private peak = 0;

  constructor(script: ScriptFn | readonly string[], options: ScriptedLMOptions = {}) {
    this.model = options.model ?? 'scripted';
    this.id = options.id ?? `scripted:${this.model}`;
    this.script = typeof script === 'function' ? script : listScript(script);
    const latency = options.latencyMs ?? 0;
    this.latency = typeof latency === 'function' ? latency : () => latency;
  }

  /** How many calls were made. */
  get calls(): number {
    return this.requests.length;
  }

  /** The most calls that were in flight at once. */
  get maxInFlight(): number {
    return this.peak;
  }

  async generate(request: ChatRequest, options: GenerateOptions = {}): Promise<ChatResponse> {
    const { signal } = options;
    if (signal?.aborted) throw cancelledError(signal);
    const index = this.requests.length;
    this.requests.push(request);
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      const latencyMs = this.latency(index);
      if (latencyMs > 0) await sleep(latencyMs, signal);
      const text = await this.script(request, index);
      const promptWords = request.messages.reduce((sum, m) => sum + words(m.content), 0);
      options.onCallInfo?.({ cached: false, attempts: 1, latencyMs });
      return {
        text,
        finishReason: 'stop',
        usage: { promptTokens: promptWords, completionTokens: words(text) },
        response: { modelId: this.model },
      };
    } finally {
      this.active--;
    }
  }
}

function listScript(replies: readonly string[]): ScriptFn {
  const copy = replies.slice();
  return (_request, index) => {
    const reply = copy[index];
    if (reply === undefined) {
      throw new LMError('bad-response', `ScriptedLM ran out of replies: call ${index + 1} but only ${copy.length} scripted`);
    }
    return reply;
  };
}

function words(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}
