import { describe, expect, it } from 'vitest';
import { ChatAdapter } from '../../../core/adapter/index.ts';
import { evaluate } from '../../../core/evaluate/evaluate.ts';
import { applyChecks, type IntermediateCheck } from '../../../core/evaluate/intermediate-check.ts';
import { ExactMatch } from '../../../core/evaluate/metrics/exact-match.ts';
import { example, Module, Predict, Signature, type CallContext, type FieldValue, type Prediction, type ProgramTrace } from '../../../core/program/index.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';

const mentionsGold: IntermediateCheck = {
  name: 'mentions_gold',
  label: 'gold in query',
  module: 'generate_query',
  description: 'The search query names the gold entity.',
  measure: (trace, ex) => {
    const query = trace.calls.find((c) => c.predictor === 'generate_query')?.outputs?.search_query;
    if (query === undefined) return null;
    return query.includes(String(ex.labels.entity)) ? 1 : 0;
  },
};

function traceWith(query: string | null): ProgramTrace {
  return {
    exampleId: 'e',
    inputs: {},
    calls:
      query === null
        ? []
        : [{ predictor: 'generate_query', inputs: {}, messages: [], request: null, completion: '', outputs: { search_query: query }, parseFallback: null, model: 'm', usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0, cached: false, attempts: 1, error: null, startedAt: 0 }],
    prediction: null,
    error: null,
  };
}

describe('intermediate checks', () => {
  const ex = example('e', { question: 'q' }, { answer: 'a', entity: 'Tromadue' });

  it('stores each check value on the trace: a number, or null where the check does not apply', () => {
    const hit = traceWith('born in Tromadue');
    applyChecks([mentionsGold], hit, ex);
    expect(hit.checks).toEqual({ mentions_gold: 1 });
    const skipped = traceWith(null);
    applyChecks([mentionsGold], skipped, ex);
    expect(skipped.checks).toEqual({ mentions_gold: null });
    const none = traceWith('x');
    applyChecks([], none, ex);
    expect(none.checks).toBeUndefined();
  });

  it('records a check that throws or returns a non-number on the trace instead of hiding it', () => {
    const broken: IntermediateCheck = { ...mentionsGold, name: 'broken', measure: () => Number.NaN };
    const trace = traceWith('y');
    applyChecks([broken, mentionsGold], trace, ex);
    expect(trace.checks).toEqual({ broken: null, mentions_gold: 0 });
    expect(trace.error).toEqual({ kind: 'check', message: 'broken: returned NaN' });
  });

  it('are measured on every evaluated example', async () => {
    class Program extends Module {
      generate_query = new Predict(Signature.parse('question -> search_query'));
      async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
        const out = await this.generate_query.forward(inputs, ctx);
        return { answer: out.search_query! };
      }
    }
    const lm = new ScriptedLM(['[[ ## search_query ## ]]\nTromadue\n\n[[ ## completed ## ]]', '[[ ## search_query ## ]]\nelsewhere\n\n[[ ## completed ## ]]']);
    const env = { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: {} };
    const examples = [ex, example('f', { question: 'r' }, { answer: 'a', entity: 'Tromadue' })];
    const result = await evaluate(new Program(), examples, new ExactMatch(), env, { concurrency: 1, checks: [mentionsGold] });
    expect(result.results.map((r) => r.trace.checks)).toEqual([{ mentions_gold: 1 }, { mentions_gold: 0 }]);
  });
});
