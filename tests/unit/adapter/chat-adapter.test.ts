import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../core/adapter/adapter.ts';
import { ChatAdapter, splitSections } from '../../../core/adapter/chat-adapter.ts';
import type { ChatMessage } from '../../../core/lm/language-model.ts';
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
