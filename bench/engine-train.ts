// Engine training throughput: LoRA training tokens per second on a model of demo-model size, and
// the fraction of this machine's dense matmul rate it achieves (MFU), both measured in this run.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineEnv } from '../core/engine/engine-paths.ts';
import { findPython } from '../core/engine/python.ts';
import { runJsonLinesProcess } from '../core/finetune/json-lines-process.ts';
import { atLeast, info, type BenchResult } from './lib.ts';
import { benchModelDir } from './engine-lib.ts';

export async function run(): Promise<BenchResult> {
  const python = (await findPython()).executable;
  const modelDir = await benchModelDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-train-'));
  try {
    const rows = Array.from({ length: 64 }, (_, i) => ({
      messages: [
        { role: 'system', content: 'You classify records by their measurements.' },
        { role: 'user', content: `[[ ## a ## ]]\n${(i % 7) + 0.5}\n\n[[ ## b ## ]]\n${(i % 5) + 1.5}\n\nReply with the label.` },
        { role: 'assistant', content: `[[ ## reasoning ## ]]\nThe first value is ${(i % 7) + 0.5}, so it belongs to group ${i % 3}.\n\n[[ ## label ## ]]\ngroup${i % 3}\n\n[[ ## completed ## ]]` },
      ],
    }));
    const data = path.join(dir, 'train.jsonl');
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const events: Array<Record<string, unknown>> = [];
    const train = await runJsonLinesProcess(
      python,
      ['-m', 'tandem_engine', 'train', '--base', modelDir, '--data', data, '--out', path.join(dir, 'adapter'), '--epochs', '2', '--batch-size', '8', '--rank', '32', '--alpha', '64', '--lr', '1e-4'],
      { env: engineEnv(), onJson: (m) => events.push(m) },
    );
    if (train.code !== 0) throw new Error(`trainer failed: ${train.log.slice(-5).join('\n')}`);
    const start = events.find((e) => e.event === 'start')!;
    const done = events.find((e) => e.event === 'done')!;
    const matmulEvents: Array<Record<string, unknown>> = [];
    await runJsonLinesProcess(python, ['-m', 'tandem_engine', 'bench-matmul', '--seconds', '3'], { env: engineEnv(), onJson: (m) => matmulEvents.push(m) });
    const flopsPerS = Number(matmulEvents.at(-1)?.flops_per_s);
    const tokensPerS = Number(done.tokens_per_s);
    const mfu = (tokensPerS * Number(start.flops_per_token)) / flopsPerS;
    return {
      name: 'engine-train',
      rows: [
        info('training tokens/s', tokensPerS, 'tokens/s'),
        info('machine matmul rate', flopsPerS / 1e9, 'GFLOP/s'),
        atLeast('MFU', mfu, 'fraction', 0.2),
        info('training seconds', Number(done.seconds), 's'),
        info('final loss', Number(done.final_loss), 'loss'),
      ],
      notes: ['LoRA rank 32 on all projections, fp32, CPU; MFU counts matmul FLOPs only (4x frozen + 6x LoRA parameters per token)'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
