import { describe, expect, it } from 'vitest';
import { ChatAdapter, splitSections } from '../../../core/adapter/chat-adapter.ts';
import { Signature } from '../../../core/program/signature.ts';
import { generateEpisode, TASKS } from '../../../scripts/demo-model/corpus.ts';

const adapter = new ChatAdapter();
const PER_TASK = 60;

describe('demo-model corpus format', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    for (const task of TASKS) {
      expect(generateEpisode(task, 0, 7)).toEqual(generateEpisode(task, 0, 7));
      expect(generateEpisode(task, 0, 7).messages).not.toEqual(generateEpisode(task, 1, 7).messages);
    }
  });

  for (const task of TASKS) {
    it(`${task}: episodes are exactly the chat adapter's rendering and their answers parse back`, () => {
      for (let i = 0; i < PER_TASK; i++) {
        const ep = generateEpisode(task, 0, i);
        const sig = new Signature(ep.signature);
        const { messages } = ep;
        // system, (user, assistant)*, user, assistant
        expect(messages[0]!.role).toBe('system');
        expect(messages.length % 2).toBe(1);
        messages.slice(1).forEach((m, j) => expect(m.role).toBe(j % 2 === 0 ? 'user' : 'assistant'));
        // Same system message and same final user turn as the adapter renders for this signature.
        const last = messages.at(-2)!;
        const inputs = splitSections(`${last.content}`);
        const fields: Record<string, string> = {};
        for (const name of sig.inputNames) {
          expect(inputs).toHaveProperty(name);
          fields[name] = inputs[name]!;
        }
        const reference = adapter.format(sig, [], fields);
        expect(messages[0]!.content).toBe(reference[0]!.content);
        // Every assistant turn (demos and the target) parses with the real adapter.
        for (const m of messages.filter((x) => x.role === 'assistant')) {
          const parsed = adapter.parse(sig, `${m.content}`);
          expect(parsed.fallback).toBeNull();
          expect(Object.keys(parsed.fields)).toEqual(sig.outputNames);
        }
        const target = adapter.parse(sig, `${messages.at(-1)!.content}`).fields;
        for (const [k, v] of Object.entries(ep.answer)) expect(target[k]).toBe(v);
        expect(`${messages.at(-1)!.content}`.trimEnd().endsWith('[[ ## completed ## ]]')).toBe(true);
      }
    });
  }

  it('classification episodes name classes in the instructions, the output description, or only in demos', () => {
    let onlyInDemos = 0;
    for (let i = 0; i < 200; i++) {
      const ep = generateEpisode('classify', 0, i);
      const sig = new Signature(ep.signature);
      const label = Object.entries(ep.answer).find(([k]) => k !== 'reasoning')![1];
      const system = `${ep.messages[0]!.content}`;
      if (!system.includes(label)) {
        onlyInDemos++;
        // then the demos must show it
        expect(ep.messages.slice(1, -2).some((m) => `${m.content}`.includes(label))).toBe(true);
      }
      expect(sig.outputNames[0]).toBe(sig.outputNames.includes('reasoning') ? 'reasoning' : sig.outputNames[0]);
    }
    expect(onlyInDemos).toBeGreaterThan(20);
  });
});
