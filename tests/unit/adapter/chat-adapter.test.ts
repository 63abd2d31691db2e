import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../core/program/adapter.ts';
import { ChatAdapter, splitSections } from '../../../core/adapter/chat-adapter.ts';
import type { ChatMessage } from '../../../core/contract/views/program.ts';
import { ChainOfThought } from '../../../core/program/chain-of-thought.ts';
import type { Demo } from '../../../core/program/demo.ts';
import { Signature, signature } from '../../../core/program/signature.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

/** Compares against a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff before committing). */
function expectGolden(name: string, messages: ChatMessage[]): void {
  const text = messages.map((m) => `=== ${m.role} ===\n${m.content}`).join('\n') + '\n';
  const file = path.join(GOLDEN, name);
  // A missing golden file is written once locally; in CI it is a failure, never a free pass.
  if (process.env.UPDATE_GOLDEN === '1' || (!existsSync(file) && !process.env.CI)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const adapter = new ChatAdapter();
const qa = signature()
  .input('question', 'a trivia question')
  .output('answer', 'often between 1 and 5 words')
  .instructions('Answer the question.')
  .build();
const cot = new ChainOfThought(qa).signature;

describe('ChatAdapter.format', () => {
  it('renders a zero-shot prompt', () => {
    expectGolden('zero-shot.txt', adapter.format(qa, [], { question: 'Who wrote Hamlet?' }));
  });

  it('renders complete demos before partial ones, as user/assistant turns', () => {
    const demos: Demo[] = [
      { fields: { question: 'Capital of France?', answer: 'Paris' }, augmented: false, exampleId: 'a' },
      { fields: { question: '2+2?', reasoning: 'Two plus two is four.', answer: '4' }, augmented: true, exampleId: 'b' },
    ];
    const messages = adapter.format(cot, demos, { question: 'Who wrote Hamlet?' });
    expectGolden('cot-with-demos.txt', messages);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    // The complete (augmented) demo comes first; the labeled one lacks reasoning and says so.
    expect(messages[1]!.content).toContain('2+2?');
    expect(messages[3]!.content).toMatch(/some of its fields are not given/);
    expect(messages[4]!.content).toContain('[[ ## reasoning ## ]]\nNot given in this example.');
  });

  it('renders list values as numbered lines', () => {
    const sig = Signature.parse('context, question -> answer');
    const messages = adapter.format(sig, [], { context: ['first passage', 'second passage'], question: 'q' });
    expect(messages.at(-1)!.content).toContain('[[ ## context ## ]]\n[1] first passage\n[2] second passage');
  });

  it('produces fine-tuning rows with the same prompt plus the answer', () => {
    const row = adapter.formatFinetuneRow(cot, [], { question: 'Q?' }, { reasoning: 'because', answer: 'A' });
    expect(row.messages.slice(0, -1)).toEqual(adapter.format(cot, [], { question: 'Q?' }));
    expect(row.messages.at(-1)).toEqual({
      role: 'assistant',
      content: '[[ ## reasoning ## ]]\nbecause\n\n[[ ## answer ## ]]\nA\n\n[[ ## completed ## ]]',
    });
  });
});

describe('ChatAdapter.parse', () => {
  it('reads fields under headers and ignores text before and after', () => {
    const text = 'Sure!\n[[ ## reasoning ## ]]\nstep one\nstep two\n\n[[ ## answer ## ]]\n Paris \n\n[[ ## completed ## ]]\ntrailing';
    expect(adapter.parse(cot, text)).toEqual({ fields: { reasoning: 'step one\nstep two', answer: 'Paris' }, fallback: null });
  });

  it('round-trips what the fine-tuning renderer writes', () => {
    const row = adapter.formatFinetuneRow(cot, [], { question: 'Q?' }, { reasoning: 'r', answer: 'A' });
    expect(adapter.parse(cot, row.messages.at(-1)!.content).fields).toEqual({ reasoning: 'r', answer: 'A' });
  });

  it('accepts a JSON object as a counted fallback', () => {
    const parsed = adapter.parse(cot, '```json\n{"reasoning": "r", "answer": 42}\n```');
    expect(parsed).toEqual({ fields: { reasoning: 'r', answer: '42' }, fallback: 'json' });
  });

  it('names the missing fields in a clear parse error', () => {
    expect(() => adapter.parse(cot, '[[ ## reasoning ## ]]\nhmm')).toThrowError(/missing output field\(s\) "answer" \(found "reasoning"\)/);
    expect(() => adapter.parse(cot, 'just prose')).toThrowError(ParseError);
    expect(() => adapter.parse(cot, 'just prose')).toThrowError(/no \[\[ ## field ## \]\] headers found/);
  });

  it('keeps the first occurrence of a repeated header', () => {
    expect(splitSections('[[ ## answer ## ]]\none\n[[ ## answer ## ]]\ntwo')).toEqual({ answer: 'one' });
  });
});

/** The line-by-line splitSections as first written: the reference the faster scan must match. */
function referenceSplitSections(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  let current: string | null = null;
  let buffer: string[] = [];
  const flush = () => {
    if (current !== null && !(current in result)) result[current] = buffer.join('\n').trim();
  };
  for (const line of text.split(/\r?\n/)) {
    const match = /^\[\[ ## ([A-Za-z_][A-Za-z0-9_]*) ## \]\]\s*$/.exec(line.trim());
    if (match) {
      flush();
      current = match[1]!;
      buffer = [];
      if (current === 'completed') {
        current = null;
        break;
      }
      continue;
    }
    if (current !== null) buffer.push(line);
  }
  flush();
  return result;
}

describe('splitSections', () => {
  const pieces = [
    '[[ ## answer ## ]]',
    '[[ ## reasoning ## ]]',
    '  [[ ## answer ## ]]  ',
    '[[ ## completed ## ]]',
    '[[ ## answer ## ]] trailing text',
    'text [[ ## answer ## ]]',
    '[[ ## 9bad ## ]]',
    '[[ ## constructor ## ]]',
    '[[ ## ',
    '[[ ##',
    'Paris',
    '  indented value  ',
    '',
    ' ',
    '\t',
    '\u00a0',
    'line\rwith a carriage return',
  ];
  const separators = ['\n', '\n', '\n', '\r\n', '\n\n', ''];

  it('matches the line-by-line reference on generated texts', () => {
    let seed = 12345;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 5000; round++) {
      let text = '';
      const parts = 1 + next(12);
      for (let i = 0; i < parts; i++) text += pieces[next(pieces.length)]! + separators[next(separators.length)]!;
      // Half the texts without any \r (the fast scan), half as generated (mostly the line-by-line path).
      if (round % 2 === 0) text = text.replace(/\r/g, '');
      expect(splitSections(text), JSON.stringify(text)).toEqual(referenceSplitSections(text));
    }
  });

  it('matches the reference on edge cases', () => {
    for (const text of [
      '',
      '[[ ## answer ## ]]',
      '[[ ## answer ## ]]\n',
      '[[ ## answer ## ]]\n[[ ## reasoning ## ]]',
      '\n[[ ## answer ## ]]\n\n x \n\n',
      '[[ ## answer ## ]]\r\nParis\r\n[[ ## completed ## ]]',
      'before\n[[ ## answer ## ]]\na\n[[ ## ## ]]\nb\n[[ ## completed ## ]]\n[[ ## reasoning ## ]]\nlate',
    ]) {
      expect(splitSections(text), JSON.stringify(text)).toEqual(referenceSplitSections(text));
    }
  });
});

describe('ChatAdapter rendering per signature', () => {
  it('renders each signature with its own fields and instructions', () => {
    const other = qa.withInstructions('Answer tersely.');
    const a = adapter.format(qa, [], { question: 'q' });
    const b = adapter.format(other, [], { question: 'q' });
    const c = adapter.format(cot, [], { question: 'q' });
    expect(a[0]!.content).toMatch(/Task: Answer the question\.$/);
    expect(b[0]!.content).toMatch(/Task: Answer tersely\.$/);
    expect(c[0]!.content).toContain('- `reasoning`');
    expect(a[0]!.content).not.toContain('reasoning');
    expect(a.at(-1)!.content).toContain('Reply with `[[ ## answer ## ]]`');
    expect(c.at(-1)!.content).toContain('Reply with `[[ ## reasoning ## ]]` and then `[[ ## answer ## ]]`');
    // Same signature again: the same text.
    expect(adapter.format(qa, [], { question: 'q' })).toEqual(a);
  });

  it('signature field lists cannot change under a cached rendering', () => {
    expect(Object.isFrozen(qa.inputs)).toBe(true);
    expect(Object.isFrozen(qa.outputs[0])).toBe(true);
    expect(() => (qa.inputs as Array<{ name: string; description: string }>).push({ name: 'x', description: '' })).toThrow(TypeError);
  });
});
