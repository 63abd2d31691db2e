// Engine start-up: seconds from spawning the engine to the first generated token.

import { EngineProcess } from '../core/engine/engine-process.ts';
import { info, type BenchResult } from './lib.ts';
import { benchModelDir } from './engine-lib.ts';

export async function run(): Promise<BenchResult> {
  const modelDir = await benchModelDir();
  const samples: Array<{ listening: number; firstToken: number }> = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const engine = new EngineProcess({ modelDir, servedName: 'bench' });
    const baseUrl = await engine.start();
    const listening = (performance.now() - started) / 1000;
    await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...engine.authHeaders },
      body: JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 }),
    }).then((r) => r.json());
    samples.push({ listening, firstToken: (performance.now() - started) / 1000 });
    await engine.stop();
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    name: 'engine-start',
    rows: [
      info('spawn to healthy (median of 3)', median(samples.map((s) => s.listening)), 's'),
      info('spawn to first token (median of 3)', median(samples.map((s) => s.firstToken)), 's'),
    ],
  };
}
