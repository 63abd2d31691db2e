// Every request of a seeded run carries its own sampling seed, derived from the run's seed and
// the request itself: the rendered messages, the sampling settings and the rollout id. So the
// same request in the same run always samples the same way (on the local engine, and on servers
// that honour `seed`: vLLM, SGLang, OpenAI), whatever else is in flight or was asked before, and
// the seed becomes part of the cache key and of the stored call. The model is left out on purpose:
// the same prompt sent to a base model and to its adapter draws with the same seed.

import { createHash } from 'node:crypto';
import type { ChatRequest } from './language-model.ts';

/** Seeds stay below 2^31: every server we know accepts them (llama.cpp's is 32-bit). */
const SEED_BITS = 0x7fffffff;

export function requestSeed(runSeed: number, request: Omit<ChatRequest, 'seed'>): number {
  if (!Number.isInteger(runSeed)) throw new Error(`a run seed must be an integer, got ${runSeed}`);
  const identity = JSON.stringify([
    runSeed,
    request.messages.map((m) => [m.role, m.content]),
    request.temperature ?? null,
    request.topP ?? null,
    request.maxTokens ?? null,
    request.stop ?? null,
    request.rolloutId ?? null,
  ]);
  return Number.parseInt(createHash('sha256').update(identity).digest('hex').slice(0, 8), 16) & SEED_BITS;
}

/** The request with its derived seed; unchanged when the run is not seeded. */
export function withRequestSeed<R extends ChatRequest>(request: R, runSeed: number | undefined): R {
  if (runSeed === undefined) return request;
  const { seed: _ignored, ...rest } = request;
  return { ...request, seed: requestSeed(runSeed, rest) };
}
