// The trainer output a job record keeps: bounded in lines and bytes, JSON progress and stderr
// included, in the order the trainer printed them.

import { describe, expect, it } from 'vitest';
import { runJsonLinesProcess } from '../../../core/finetune/json-lines-process.ts';
import { LOG_TAIL_BYTES, LOG_TAIL_LINES, LogTail, logTailText } from '../../../core/finetune/log-tail.ts';

describe('LogTail', () => {
  it('keeps the last lines within the line and byte bounds', () => {
    const tail = new LogTail();
    for (let i = 0; i < 1000; i++) tail.push(`line ${i}`);
    expect(tail.size).toBe(LOG_TAIL_LINES);
    expect(tail.toLines().at(-1)).toBe('line 999');

    const wide = new LogTail();
    for (let i = 0; i < 100; i++) wide.push(`${i} ${'é'.repeat(2000)}`); // 4 KB a line
    expect(Buffer.byteLength(wide.toLines().join('\n'))).toBeLessThanOrEqual(LOG_TAIL_BYTES);
    expect(wide.toLines().at(-1)).toMatch(/^99 /);
  });

  it('cuts the middle of one huge line instead of dropping it', () => {
    const text = logTailText(['a'.repeat(100_000) + 'END']);
    expect(text.length).toBeLessThan(20_000);
    expect(text).toMatch(/characters cut/);
    expect(text.endsWith('END')).toBe(true);
  });
});

describe('runJsonLinesProcess output', () => {
  it('keeps stdout (JSON included) and stderr in one tail', async () => {
    const script = 'console.log(JSON.stringify({event:"step",loss:1})); console.error("warn: slow"); console.log("plain");';
    const json: unknown[] = [];
    const run = await runJsonLinesProcess(process.execPath, ['-e', script], { onJson: (m) => json.push(m) });
    expect(run.code).toBe(0);
    expect(json).toEqual([{ event: 'step', loss: 1 }]);
    expect(run.log.sort()).toEqual(['plain', 'warn: slow']); // log lines, as before: no JSON
    expect([...run.output].sort()).toEqual(['plain', 'warn: slow', '{"event":"step","loss":1}']);
  });
});
