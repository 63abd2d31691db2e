// Engine generation throughput: completion tokens per second at concurrency 1 and 16 on a model
// of demo-model size. Continuous batching should make 16 concurrent requests >= 4x faster.

import { EngineProcess } from '../core/engine/engine-process.ts';
import { atLeast, info, type BenchResult } from './lib.ts';
import { benchModelDir } from './engine-lib.ts';

const TOKENS = 48;

export async function run(): Promise<BenchResult> {
  const engine = new EngineProcess({ modelDir: await benchModelDir(), servedName: 'bench' });
  const baseUrl = await engine.start();
  try {
    const ask = async (i: number): Promise<number> => {
      const response = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...engine.authHeaders },
        // ignore_eos keeps every answer TOKENS long, so the rates compare like for like.
        body: JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: `Question number ${i}: describe a flower.` }], max_tokens: TOKENS, temperature: 0.7, seed: i, ignore_eos: true }),
      });
      const body = (await response.json()) as { usage: { completion_tokens: number } };
      return body.usage.completion_tokens;
    };
    const measure = async (concurrency: number, requests: number) => {
      await Promise.all(Array.from({ length: concurrency }, (_, i) => ask(10_000 + i))); // warm-up
      const start = performance.now();
      let tokens = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < requests) {
            const n = await ask(next++); // read tokens only after the await: `tokens += await` loses concurrent updates
            tokens += n;
          }
        }),
      );
      return tokens / ((performance.now() - start) / 1000);
    };
    const one = await measure(1, 6);
    const sixteen = await measure(16, 48);
    return {
      name: 'engine-generate',
      rows: [
        info('tokens/s at concurrency 1', one, 'tokens/s'),
        info('tokens/s at concurrency 16', sixteen, 'tokens/s'),
        atLeast('speed-up 16 vs 1', sixteen / one, 'x', 4),
      ],
      notes: [`random ~11M-parameter Llama checkpoint, fp32, CPU, ${TOKENS} tokens per answer`],
    };
  } finally {
    await engine.stop();
  }
}
