// A preflight check before a run writes anything: can the server at the base URL be reached?
// `GET /models` is part of the OpenAI API and served by vLLM, SGLang, Ollama and llama.cpp; any
// HTTP answer (even 404) proves the server is up. Only "nothing answers" is an error here.

import { LMError } from './errors.ts';

export async function probeServer(baseUrl: string, options: { timeoutMs?: number; apiKey?: string; signal?: AbortSignal } = {}): Promise<void> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { signal, ...(options.apiKey ? { headers: { authorization: `Bearer ${options.apiKey}` } } : {}) });
    await response.body?.cancel();
  } catch (error) {
    if (options.signal?.aborted) throw new LMError('cancelled', 'cancelled while checking the LM server');
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    const kind = timeout.aborted ? 'timeout' : 'network';
    throw new LMError(kind, `cannot reach the LM server at ${baseUrl} (${kind === 'timeout' ? 'no answer in time' : cause}); is it running, and is --base-url right?`);
  }
}
