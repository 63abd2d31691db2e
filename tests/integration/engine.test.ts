// The local engine end to end from Node: a tiny checkpoint made by the engine, served over the
// OpenAI-compatible API through the same provider used for remote servers, fine-tuned through the
// LocalEngineFinetuner, the adapter hot-loaded and addressed by name; the engine killed
// mid-request and restarted by its supervisor.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineProcess, type EngineEvent } from '../../core/engine/engine-process.ts';
import { findPython } from '../../core/engine/python.ts';
import { PAPER_HYPERPARAMS, type FinetuneEvent } from '../../core/finetune/finetuner.ts';
import { LocalEngineFinetuner } from '../../core/finetune/local-engine-finetuner.ts';
import { OpenAICompatibleLM } from '../../core/lm/openai-compatible.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';

let dir: string;
let modelDir: string;
let engine: EngineProcess;
let baseUrl: string;
const events: EngineEvent[] = [];

const prompt = { messages: [{ role: 'user' as const, content: 'Say something about flowers.' }], temperature: 0, maxTokens: 12 };

function lm(model: string): OpenAICompatibleLM {
  return new OpenAICompatibleLM({ baseUrl, model, apiKey: engine.token!, maxRetries: 6, backoffBaseMs: 200, timeoutMs: 30_000 });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-engine-'));
  modelDir = await makeTinyCheckpoint(path.join(dir, 'tiny'));
  engine = new EngineProcess({ modelDir, servedName: 'tiny', maxRestarts: 3, adapterRoot: dir });
  engine.on((e) => events.push(e));
  baseUrl = await engine.start();
}, 120_000);

afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('local engine', () => {
  it('serves chat completions deterministically at temperature 0, with usage', async () => {
    const a = await lm('tiny').generate(prompt);
    const b = await lm('tiny').generate(prompt);
    expect(a.text).toBe(b.text);
    expect(a.usage.promptTokens).toBeGreaterThan(0);
    expect(a.usage.completionTokens).toBeGreaterThan(0);
    const models = (await (await fetch(`${baseUrl}/models`, { headers: engine.authHeaders })).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toContain('tiny');
  });

  it('fine-tunes an adapter, hot-loads it without a restart, and the adapter answers differently', async () => {
    const data = path.join(dir, 'train.jsonl');
    const row = { messages: [...prompt.messages, { role: 'assistant', content: 'roses roses roses roses' }] };
    writeFileSync(data, Array.from({ length: 8 }, () => JSON.stringify(row)).join('\n') + '\n');
    const pid = engine.pid;
    const progress: FinetuneEvent[] = [];
    const finetuner = new LocalEngineFinetuner({ baseModelDir: modelDir, engine });
    const result = await finetuner.finetune(
      {
        base: { provider: 'openai', model: 'tiny', baseUrl },
        trainFile: data,
        validFile: null,
        outDir: path.join(dir, 'adapter'),
        adapterName: 'tiny-roses',
        hyperparams: { ...PAPER_HYPERPARAMS, rank: 8, alpha: 16, learningRate: 5e-2, epochs: 6, batchSize: 4, maxSeqLen: 256 },
      },
      { onEvent: (e) => progress.push(e) },
    );
    expect(progress.some((e) => e.type === 'start')).toBe(true);
    const losses = result.losses.map((l) => l.loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(result.trainRows).toBe(8);
    expect(result.binding).toMatchObject({ model: 'tiny-roses', baseModel: 'tiny' });
    expect(engine.pid).toBe(pid); // no restart
    const base = await lm('tiny').generate(prompt);
    const tuned = await lm('tiny-roses').generate(prompt);
    expect(tuned.text).not.toBe(base.text);
  }, 180_000);

  it('restarts after being killed mid-request; later requests succeed and adapters come back', async () => {
    const pid = engine.pid!;
    const inFlight = lm('tiny').generate({ ...prompt, maxTokens: 200 });
    await new Promise((r) => setTimeout(r, 50));
    process.kill(pid, 'SIGKILL');
    // The provider retries on the dropped connection; the supervisor brings the engine back.
    await inFlight.catch((error: Error) => expect(error.message).toMatch(/cannot reach|ECONNRESET|socket/i));
    await engine.whenReady();
    expect(engine.pid).not.toBe(pid);
    expect(events.some((e) => e.type === 'exited' && !e.expected)).toBe(true);
    expect(events.some((e) => e.type === 'restarting')).toBe(true);
    const after = await lm('tiny').generate(prompt);
    expect(after.text.length).toBeGreaterThan(0);
    const models = (await (await fetch(`${engine.baseUrl}/models`, { headers: engine.authHeaders })).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toContain('tiny-roses');
  }, 120_000);

  it('refuses an adapter trained on another base model, and keeps serving', async () => {
    const other = await makeTinyCheckpoint(path.join(dir, 'other'), ['--hidden', '32', '--seed', '7']);
    const otherEngine = new EngineProcess({ modelDir: other, servedName: 'other', adapterRoot: dir });
    try {
      await otherEngine.start();
      await expect(otherEngine.loadAdapter('roses', path.join(dir, 'adapter'))).rejects.toThrow(/load_lora_adapter failed \(HTTP 4\d\d\)/);
      expect((await lm('tiny').generate(prompt)).text.length).toBeGreaterThan(0);
    } finally {
      await otherEngine.stop();
    }
  }, 120_000);

  it('says how to install PyTorch when TANDEM_PYTHON cannot import it', async () => {
    await expect(findPython({ TANDEM_PYTHON: '/nonexistent/python3' })).rejects.toThrow(/TANDEM_PYTHON \(\/nonexistent\/python3\) cannot run the engine.*apt-get install -y python3-torch/);
  });
});
