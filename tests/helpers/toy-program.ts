// A one-predictor program and a scripted LM for optimizer unit tests: the "model" doubles the
// number it is given, but gets a deterministic subset wrong, fewer when it sees demos.

import { ChatAdapter } from '../../core/adapter/chat-adapter.ts';
import type { Metric } from '../../core/evaluate/metric.ts';
import type { ChatRequest } from '../../core/lm/language-model.ts';
import { ScriptedLM } from './scripted-lm.ts';
import type { CallContext, ProgramEnv } from '../../core/program/context.ts';
import { example, type Example, type FieldValue, type Prediction } from '../../core/program/example.ts';
import { Module } from '../../core/program/module.ts';
import { Predict } from '../../core/program/predict.ts';
import { Signature } from '../../core/program/signature.ts';

export class DoubleProgram extends Module {
  double = new Predict(Signature.parse('x -> y', 'Double the number.'));
  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    return this.double.forward(inputs, ctx);
  }
}

export const exactY: Metric = {
  name: 'exact-y',
  score: (ex: Example, pred: Prediction) => (String(ex.labels.y) === pred.y ? 1 : 0),
};

export function numbers(count: number, offset = 0): Example[] {
  return Array.from({ length: count }, (_, i) => example(`n${i + offset}`, { x: i + offset }, { y: 2 * (i + offset) }));
}

export function lastInput(request: ChatRequest, field: string): string {
  const last = request.messages.at(-1)!.content;
  const match = new RegExp(`\\[\\[ ## ${field} ## \\]\\]\\n([^\\n]*)`).exec(last);
  return match?.[1] ?? '';
}

export function demoCount(request: ChatRequest): number {
  return request.messages.filter((m) => m.role === 'assistant').length;
}

/** Right unless x is a multiple of 3 (of 7 once the prompt has two or more demos). */
export function doublingLM(options: { latencyMs?: (i: number) => number } = {}): ScriptedLM {
  return new ScriptedLM(
    (request) => {
      const x = Number(lastInput(request, 'x'));
      const wrong = demoCount(request) >= 2 ? x % 7 === 0 : x % 3 === 0;
      return `[[ ## y ## ]]\n${wrong ? 2 * x + 1 : 2 * x}\n\n[[ ## completed ## ]]`;
    },
    options.latencyMs ? { latencyMs: options.latencyMs } : {},
  );
}

export function envFor(lm: ScriptedLM): ProgramEnv {
  return { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: { temperature: 0 } };
}
