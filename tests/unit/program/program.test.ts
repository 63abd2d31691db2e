import { describe, expect, it } from 'vitest';
import { ChainOfThought } from '../../../core/program/chain-of-thought.ts';
import type { CallContext } from '../../../core/program/context.ts';
import type { FieldValue, Prediction } from '../../../core/program/example.ts';
import { Module } from '../../../core/program/module.ts';
import { Predict } from '../../../core/program/predict.ts';
import { runProgram } from '../../../core/program/run-program.ts';
import { Signature, SignatureError, signature } from '../../../core/program/signature.ts';
import { loadState, ProgramStateError, saveState } from '../../../core/program/state.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';
import { LMError } from '../../../core/lm/errors.ts';
import { envFor } from '../../helpers/toy-program.ts';

class MultiHop extends Module {
  generate_query = [new ChainOfThought(Signature.parse('context, question -> query')), new ChainOfThought(Signature.parse('context, question -> query'))];
  generate_answer = new ChainOfThought(Signature.parse('context, question -> answer'));
  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    let context: string[] = [];
    for (const hop of this.generate_query) {
      const { query } = await hop.forward({ ...inputs, context }, ctx);
      context = [...context, `passage about ${query}`];
    }
    return this.generate_answer.forward({ ...inputs, context }, ctx);
  }
}

describe('Signature', () => {
  it('parses the shorthand and builds typed signatures', () => {
    const s = Signature.parse(' context , question->answer ', 'Answer it.');
    expect(s.inputNames).toEqual(['context', 'question']);
    expect(s.outputNames).toEqual(['answer']);
    expect(s.instructions).toBe('Answer it.');
    const b = signature().input('q', 'a question').output('a', 'short').instructions('Do it.').build();
    expect(b.inputs).toEqual([{ name: 'q', description: 'a question' }]);
    expect(b.toString()).toBe('q -> a');
    expect(Signature.parse('q -> a').instructions).toMatch(/`q`.*`a`/);
  });

  it('rejects malformed signatures with clear errors', () => {
    expect(() => Signature.parse('question answer')).toThrow(/exactly one "->"/);
    expect(() => Signature.parse('q -> ')).toThrow(SignatureError);
    expect(() => Signature.parse('q -> q')).toThrow(/declared twice/);
    expect(() => Signature.parse('my field -> a')).toThrow(/must be an identifier/);
  });

  it('chain of thought adds reasoning as the first output', () => {
    expect(new ChainOfThought(Signature.parse('q -> a')).signature.outputNames).toEqual(['reasoning', 'a']);
  });
});

describe('Module', () => {
  it('addresses predictors by stable paths, arrays included', () => {
    expect(new MultiHop().namedPredictors().map(([p]) => p)).toEqual(['generate_query[0]', 'generate_query[1]', 'generate_answer']);
  });

  it('clones deeply so demos and bindings are independent', () => {
    const a = new MultiHop();
    const b = a.clone();
    b.generate_answer.demos.push({ fields: { answer: 'x' }, augmented: false, exampleId: null });
    b.generate_query[0]!.lm = { provider: 'openai', model: 'ft-1' };
    expect(a.generate_answer.demos).toEqual([]);
    expect(a.generate_query[0]!.lm).toBeNull();
    expect(b).toBeInstanceOf(MultiHop);
  });
});

describe('program state', () => {
  it('round-trips demos, instructions and LM bindings as versioned JSON', () => {
    const a = new MultiHop();
    a.generate_answer.demos = [{ fields: { question: 'q', answer: 'a' }, augmented: true, exampleId: 'e1', sourceTraceId: 4 }];
    a.generate_answer.signature = a.generate_answer.signature.withInstructions('Be brief.');
    a.generate_query[1]!.lm = { provider: 'openai', model: 'adapter-1', baseModel: 'base' };
    const json = JSON.parse(JSON.stringify(saveState(a)));
    expect(json.version).toBe(1);
    const b = loadState(new MultiHop(), json);
    expect(saveState(b)).toEqual(saveState(a));
    expect(b.generate_answer.signature.instructions).toBe('Be brief.');
  });

  it('stores the openai provider in its stored spelling and reads either spelling back', () => {
    const a = new MultiHop();
    a.generate_query[0]!.lm = { provider: 'openai', model: 'adapter-1', baseUrl: 'http://h/v1' };
    a.generate_query[1]!.lm = { provider: 'local', model: 'tandem-demo' };
    const stored = saveState(a);
    expect(JSON.stringify(stored.predictors['generate_query[0]']!.lm)).toBe('{"provider":"openai-compatible","model":"adapter-1","baseUrl":"http://h/v1"}');
    expect(stored.predictors['generate_query[1]']!.lm!.provider).toBe('local');
    const b = loadState(new MultiHop(), stored);
    expect(b.generate_query[0]!.lm).toEqual({ provider: 'openai', model: 'adapter-1', baseUrl: 'http://h/v1' });
    const plain = saveState(a);
    plain.predictors['generate_query[0]']!.lm!.provider = 'openai';
    expect(loadState(new MultiHop(), plain).generate_query[0]!.lm!.provider).toBe('openai');
    plain.predictors['generate_query[0]']!.lm!.provider = 'anthropic';
    expect(() => loadState(new MultiHop(), plain)).toThrow(/unknown LM provider "anthropic"/);
  });

  it('refuses a state that belongs to another program or version', () => {
    const state = saveState(new MultiHop());
    class Single extends Module {
      predict = new Predict(Signature.parse('q -> a'));
      forward(): Promise<Prediction> {
        throw new Error('unused');
      }
    }
    expect(() => loadState(new Single(), state)).toThrow(/does not fit this program/);
    expect(() => loadState(new MultiHop(), { ...state, version: 99 })).toThrow(ProgramStateError);
    expect(() => loadState(new MultiHop(), 'nope')).toThrow(/JSON object/);
  });
});

describe('runProgram', () => {
  const reply = (fields: Record<string, string>) =>
    Object.entries(fields).map(([k, v]) => `[[ ## ${k} ## ]]\n${v}\n\n`).join('') + '[[ ## completed ## ]]';

  it('traces every predictor call with messages, completion, parsed fields and usage', async () => {
    const lm = new ScriptedLM((req) =>
      req.messages[0]!.content.includes('`query`') ? reply({ reasoning: 'r', query: 'paris' }) : reply({ reasoning: 'r', answer: 'Paris' }),
    );
    const trace = await runProgram(new MultiHop(), { question: 'capital?' }, envFor(lm), { exampleId: 'x1' });
    expect(trace.error).toBeNull();
    expect(trace.prediction).toEqual({ reasoning: 'r', answer: 'Paris' });
    expect(trace.calls.map((c) => c.predictor)).toEqual(['generate_query[0]', 'generate_query[1]', 'generate_answer']);
    const last = trace.calls[2]!;
    expect(last.inputs.context).toEqual(['passage about paris', 'passage about paris']);
    expect(last.messages.at(-1)!.content).toContain('[[ ## question ## ]]\ncapital?');
    expect(last.completion).toContain('[[ ## answer ## ]]');
    expect(last.usage.completionTokens).toBeGreaterThan(0);
    expect(last.model).toBe('scripted');
  });

  it('captures parse and LM failures on the trace instead of throwing', async () => {
    const prose = await runProgram(new MultiHop(), { question: 'q' }, envFor(new ScriptedLM(() => 'I think it is Paris.')));
    expect(prose.prediction).toBeNull();
    expect(prose.error).toMatchObject({ kind: 'parse' });
    expect(prose.calls).toHaveLength(1);
    expect(prose.calls[0]!.completion).toBe('I think it is Paris.');

    const down = new ScriptedLM(() => {
      throw new LMError('network', 'cannot reach http://127.0.0.1:9/v1', { attempts: 5 });
    });
    const failed = await runProgram(new MultiHop(), { question: 'q' }, envFor(down));
    expect(failed.error).toEqual({ kind: 'lm:network', message: 'cannot reach http://127.0.0.1:9/v1' });
    expect(failed.calls[0]!.attempts).toBe(5);
    expect(failed.calls[0]!.messages.length).toBeGreaterThan(0);
  });
});
