// #18, bad input found by a held-out corpus: a GSM8K folder whose only row holds bytes that are
// not UTF-8 was accepted silently and the run then died with an internal error. Now invalid UTF-8
// is a one-line error naming the file, line and byte offset, and too few rows for the splits a
// one-line user error, both before anything is written.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bad-data-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gsm8kFolder(name: string, trainLine: Buffer): string {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'train.jsonl'), Buffer.concat([trainLine, Buffer.from('\n')]));
  writeFileSync(path.join(folder, 'test.jsonl'), '{"question": "What is 1 + 1?", "answer": "1 + 1 = 2\\n#### 2"}\n');
  return folder;
}

const lm = ['--lm', 'openai:stub-model', '--base-url', 'http://127.0.0.1:9/v1'];

describe('bad data through tandem run', () => {
  it('names the file, line and byte offset of invalid UTF-8, in one line, writing nothing', async () => {
    const bad = Buffer.concat([Buffer.from('{"question": "Caf'), Buffer.from([0xe9]), Buffer.from(' sells 3 cakes?", "answer": "#### 3"}')]);
    const folder = gsm8kFolder('latin1', bad);
    const db = path.join(dir, 'ws1', 'tandem.db');
    const result = await runCli(['run', 'gsm8k', '--data', folder, '--strategy', 'p', ...lm, '--db', db]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/train\.jsonl, line 1: invalid UTF-8 at byte offset 17 \(byte 18 of the line: 0xe9\)/);
    expect(existsSync(db)).toBe(false);
  });

  it('says in one line that one training problem is too few, writing nothing', async () => {
    const folder = gsm8kFolder('one-row', Buffer.from('{"question": "What is 2 + 2?", "answer": "2 + 2 = 4\\n#### 4"}'));
    const db = path.join(dir, 'ws2', 'tandem.db');
    const result = await runCli(['run', 'gsm8k', '--data', folder, '--strategy', 'p', ...lm, '--db', db]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/GSM8K needs at least 2 training problems to make train and dev splits, found 1/);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(existsSync(db)).toBe(false);
  });

  it("says in one line that a task file's own load gave an empty split, writing nothing", async () => {
    const file = path.join(dir, 'empty-test.ts');
    writeFileSync(
      file,
      `import { ChainOfThought, defineTask, example, Module, signature, type CallContext, type FieldValue } from 'tandem';
class Echo extends Module {
  say = new ChainOfThought(signature().input('word', 'A word.').output('echo', 'The word.').instructions('Repeat the word.').build());
  forward(inputs: Record<string, FieldValue>, ctx: CallContext) {
    return this.say.forward(inputs, ctx);
  }
}
const ex = (i: number) => example(\`w\${i}\`, { word: \`w\${i}\` }, { echo: \`w\${i}\` });
export default defineTask({
  name: 'echo-empty-test',
  description: 'Repeat a word.',
  program: () => new Echo(),
  metric: (e, p) => (p.echo === e.labels.echo ? 1 : 0),
  load: () => ({ train: [ex(1), ex(2), ex(3)], dev: [ex(4)], test: [] }),
});
`,
    );
    const db = path.join(dir, 'ws3', 'tandem.db');
    const result = await runCli(['run', file, '--strategy', 'p', ...lm, '--db', db]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/task "echo-empty-test" has an empty test split; give a dataset with more examples, or evaluate on dev only \(--no-test\)/);
    expect(existsSync(db)).toBe(false);
  });
});
