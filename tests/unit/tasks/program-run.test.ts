// Runs each task's program once through the real chat adapter with a scripted LM, and scores the
// prediction with the task's metric.

import { describe, expect, it } from 'vitest';
import { ChatAdapter } from '../../../core/adapter/chat-adapter.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';
import type { ProgramEnv } from '../../../core/program/context.ts';
import { runProgram } from '../../../core/program/run-program.ts';
import { gsm8kTask } from '../../../core/tasks/gsm8k.ts';
import { irisTask } from '../../../core/tasks/iris.ts';

function env(reply: string): { env: ProgramEnv; lm: ScriptedLM } {
  const lm = new ScriptedLM(() => reply);
  return { lm, env: { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: { temperature: 0 } } };
}

describe('task programs run end to end', () => {
  it('iris: measurements in, reasoning and species out, scored by species match', async () => {
    const { test } = await irisTask.load({ seed: 0 });
    const ex = test.find((e) => e.labels.species === 'setosa')!;
    const { env: e, lm } = env('[[ ## reasoning ## ]]\nShort petals.\n\n[[ ## species ## ]]\nIris-setosa\n\n[[ ## completed ## ]]');
    const trace = await runProgram(irisTask.createProgram(), { ...ex.inputs }, e, { exampleId: ex.id });
    expect(trace.error).toBeNull();
    expect(trace.calls.map((c) => c.predictor)).toEqual(['predict']);
    expect(trace.prediction).toEqual({ reasoning: 'Short petals.', species: 'Iris-setosa' });
    expect(irisTask.metric.score(ex, trace.prediction!, trace)).toBe(1);
    const prompt = lm.requests[0]!.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain(String(ex.inputs.petal_length));
  });

  it('gsm8k: question in, reasoning and answer out, scored by integer match', async () => {
    const { test } = await gsm8kTask.load({ seed: 0 });
    const ex = test[0]!;
    const { env: e } = env(`[[ ## reasoning ## ]]\nWork.\n\n[[ ## answer ## ]]\n$${ex.labels.answer}.\n\n[[ ## completed ## ]]`);
    const trace = await runProgram(gsm8kTask.createProgram(), { ...ex.inputs }, e, { exampleId: ex.id });
    expect(trace.error).toBeNull();
    expect(trace.calls.map((c) => c.predictor)).toEqual(['predict']);
    expect(Object.keys(trace.prediction!)).toEqual(['reasoning', 'answer']);
    expect(gsm8kTask.metric.score(ex, trace.prediction!, trace)).toBe(1);
  });
});
