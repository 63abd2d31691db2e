import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../core/lm/language-model.ts';
import { requestSeed, withRequestSeed } from '../../../core/lm/request-seed.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';
import { ChatAdapter } from '../../../core/adapter/chat-adapter.ts';
import { Predict } from '../../../core/program/predict.ts';
import { Signature } from '../../../core/program/signature.ts';
import type { ProgramEnv } from '../../../core/program/context.ts';

const base: ChatRequest = { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }], temperature: 0.1, maxTokens: 64 };

describe('requestSeed', () => {
  it('is a pure function of the run seed and the request', () => {
    const seed = requestSeed(0, base);
    expect(requestSeed(0, structuredClone(base))).toBe(seed);
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31).toBe(true);
  });

  it('changes with the run seed and with every part of the request that shapes the answer', () => {
    const seed = requestSeed(0, base);
    const variants: Array<[number, Omit<ChatRequest, 'seed'>]> = [
      [1, base],
      [0, { ...base, messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'v' }] }],
      [0, { ...base, messages: [{ role: 'user', content: 's' }, { role: 'user', content: 'u' }] }],
      [0, { ...base, temperature: 0.7 }],
      [0, { ...base, topP: 0.9 }],
      [0, { ...base, maxTokens: 65 }],
      [0, { ...base, stop: ['\n'] }],
      [0, { ...base, rolloutId: 1 }],
    ];
    const seeds = variants.map(([run, request]) => requestSeed(run, request));
    expect(seeds).not.toContain(seed);
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  it('withRequestSeed replaces any seed given and leaves unseeded runs alone', () => {
    expect(withRequestSeed({ ...base, seed: 5 }, 3).seed).toBe(requestSeed(3, base));
    expect(withRequestSeed(base, undefined)).toBe(base);
    expect(() => requestSeed(1.5, base)).toThrow(/integer/);
  });

  it('reaches the LM and the recorded call through Predict', async () => {
    const lm = new ScriptedLM(() => '[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]');
    const env: ProgramEnv = { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: { temperature: 0.1, maxTokens: 32 }, seed: 7 };
    const predict = new Predict(Signature.parse('question -> answer'));
    const calls: Parameters<NonNullable<ProgramEnv['onCall']>>[0][] = [];
    await predict.forward({ question: '2 + 2?' }, { ...env, calls, retrievals: [], rolloutId: 2 });
    const sent = lm.requests[0]!;
    const { seed: _seed, ...rest } = sent;
    expect(sent.seed).toBe(requestSeed(7, rest));
    expect(calls[0]!.request).toEqual({ model: lm.model, temperature: 0.1, maxTokens: 32, rolloutId: 2, seed: sent.seed });

    const unseeded = new ScriptedLM(() => '[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]');
    await predict.forward({ question: '2 + 2?' }, { ...env, seed: undefined, resolveLM: () => unseeded, calls: [], retrievals: [] });
    expect(unseeded.requests[0]!.seed).toBeUndefined();
  });
});
