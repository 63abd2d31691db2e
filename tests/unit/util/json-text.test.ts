import { describe, expect, it } from 'vitest';
import { requestBody, requestBodyJson } from '../../../core/lm/openai-chat-model.ts';
import type { ChatMessage } from '../../../core/contract/views/program.ts';
import type { ChatRequest } from '../../../core/lm/language-model.ts';
import { chatMessagesJson, plainChatMessagesJson, recurringStringJson } from '../../../core/util/json-text.ts';

const LONG = `${'A system message with "quotes", \\backslashes\\, tabs\t and\nnewlines, é ü 漢字 🙂 '.repeat(8)}\u2028\u2029 \ud800 lone`;

const SAMPLES: ChatMessage[][] = [
  [],
  [{ role: 'user', content: 'hi' }],
  [
    { role: 'system', content: LONG },
    { role: 'user', content: 'short' },
  ],
  [
    { role: 'system', content: LONG },
    { role: 'user', content: LONG.toUpperCase() },
    { role: 'assistant', content: `${LONG} answer` },
    { role: 'user', content: '' },
  ],
];

describe('recurringStringJson', () => {
  it('is JSON.stringify, first time and again', () => {
    for (const text of ['', 'x', LONG, `${LONG}${LONG}`]) {
      expect(recurringStringJson(text)).toBe(JSON.stringify(text));
      expect(recurringStringJson(text)).toBe(JSON.stringify(text));
    }
  });

  it('stays right past the memo bound', () => {
    for (let i = 0; i < 1200; i++) {
      const text = `${LONG} #${i}`;
      expect(recurringStringJson(text)).toBe(JSON.stringify(text));
    }
    expect(recurringStringJson(LONG)).toBe(JSON.stringify(LONG));
  });
});

describe('chatMessagesJson', () => {
  it('writes what JSON.stringify writes for { role, content } copies', () => {
    for (const messages of SAMPLES) {
      const expected = JSON.stringify(messages.map((m) => ({ role: m.role, content: m.content })));
      expect(chatMessagesJson(messages)).toBe(expected);
      expect(chatMessagesJson(messages)).toBe(expected);
    }
  });

  it('ignores extra properties, as the request body does', () => {
    const messages = [{ role: 'user', content: 'hi', name: 'x' }] as unknown as ChatMessage[];
    expect(chatMessagesJson(messages)).toBe('[{"role":"user","content":"hi"}]');
  });

  it('gives up on anything but string roles and contents', () => {
    expect(chatMessagesJson([{ role: 'user', content: 42 }] as unknown as ChatMessage[])).toBeUndefined();
    expect(chatMessagesJson([{ content: 'x' }] as unknown as ChatMessage[])).toBeUndefined();
  });
});

describe('plainChatMessagesJson', () => {
  it('is JSON.stringify for plain { role, content } objects', () => {
    for (const messages of SAMPLES) expect(plainChatMessagesJson(messages)).toBe(JSON.stringify(messages));
  });

  it('leaves every other shape to JSON.stringify', () => {
    const odd: unknown[] = [
      'not an array',
      [{ content: 'x', role: 'user' }], // key order differs
      [{ role: 'user', content: 'x', name: 'n' }],
      [{ role: 'user' }],
      [{ role: 'user', content: 1 }],
      [{ role: 'user', content: 'x', toJSON: () => 'y' }],
      [Object.assign(Object.create(null) as object, { role: 'user', content: 'x' })],
      [new (class Message { role = 'user'; content = 'x'; })()],
      [null],
      [undefined],
      // eslint-disable-next-line no-sparse-arrays
      [, { role: 'user', content: 'x' }],
      Object.assign([{ role: 'user', content: 'x' }], { toJSON: () => 'custom' }),
    ];
    for (const value of odd) expect(plainChatMessagesJson(value)).toBeUndefined();
  });
});

describe('requestBodyJson', () => {
  it('is JSON.stringify(requestBody(...)) for every sampling combination', () => {
    const sampling: Array<Partial<ChatRequest>> = [
      {},
      { temperature: 0 },
      { temperature: 0.7, topP: 0.9, maxTokens: 10, stop: ['x', '\n\n'], seed: 7 },
      { stop: [] },
      { temperature: Number.NaN, rolloutId: 3 },
    ];
    for (const messages of SAMPLES) {
      for (const extra of sampling) {
        const request: ChatRequest = { messages, ...extra };
        for (const model of ['m', 'stub "model"']) {
          expect(requestBodyJson(model, request)).toBe(JSON.stringify(requestBody(model, request)));
        }
      }
    }
  });

  it('falls back to the general path for odd messages', () => {
    const request = { messages: [{ role: 'user', content: { text: 'x' } }] } as unknown as ChatRequest;
    expect(requestBodyJson('m', request)).toBe(JSON.stringify(requestBody('m', request)));
  });
});
