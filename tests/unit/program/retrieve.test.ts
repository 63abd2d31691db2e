import { describe, expect, it } from 'vitest';
import { ChatAdapter } from '../../../core/adapter/index.ts';
import { Module, Predict, Retrieve, runProgram, Signature, type CallContext, type FieldValue, type Prediction, type ProgramEnv } from '../../../core/program/index.ts';
import { RetrieveError } from '../../../core/retrieve/errors.ts';
import type { RetrievedPassage, Retriever, RetrieveRequest } from '../../../core/retrieve/retriever.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';

/** An in-memory retriever over a fixed list: passages whose text contains a query word, in list order. */
class ListRetriever implements Retriever {
  readonly id = 'list:test';
  readonly backend = 'list';
  readonly requests: RetrieveRequest[] = [];
  constructor(private readonly passages: RetrievedPassage[]) {}
  async retrieve(request: RetrieveRequest, options: { onRetrieveInfo?: (i: { cached: boolean; attempts: number; latencyMs: number }) => void } = {}) {
    this.requests.push(request);
    const words = request.query.toLowerCase().split(/\s+/);
    const found = this.passages.filter((p) => words.some((w) => p.text.toLowerCase().includes(w)));
    options.onRetrieveInfo?.({ cached: false, attempts: 1, latencyMs: 5 });
    return found;
  }
}

/** Query, retrieve, answer: one LM call on each side of the retrieval. */
class SearchThenAnswer extends Module {
  generate_query = new Predict(Signature.parse('question -> search_query'));
  retrieve = new Retrieve(2);
  generate_answer = new Predict(Signature.parse('context, question -> answer'));

  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    const { search_query } = await this.generate_query.forward(inputs, ctx);
    const passages = await this.retrieve.forward(search_query!, ctx);
    return this.generate_answer.forward({ ...inputs, context: passages.map((p) => p.text) }, ctx);
  }
}

const passages: RetrievedPassage[] = [
  { id: 'a', title: 'Paris', text: 'Paris is the capital of France.', score: 3 },
  { id: 'b', title: 'Lyon', text: 'Lyon is a city in France.', score: 2 },
  { id: 'c', title: 'Rome', text: 'Rome is the capital of Italy.', score: 1 },
];

function envWith(retriever: Retriever | undefined): ProgramEnv {
  const lm = new ScriptedLM((request) =>
    request.messages.at(-1)!.content.includes('context') ? '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]' : '[[ ## search_query ## ]]\nFrance capital\n\n[[ ## completed ## ]]',
  );
  return { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: {}, ...(retriever ? { retriever } : {}) };
}

describe('Retrieve', () => {
  it('records its query and top k passages in the trace, placed between the LM calls around it', async () => {
    const retriever = new ListRetriever(passages);
    const program = new SearchThenAnswer();
    expect(program.namedPredictors().map(([p]) => p)).toEqual(['generate_query', 'generate_answer']);
    const trace = await runProgram(program, { question: 'What is the capital of France?' }, envWith(retriever), { exampleId: 'q1' });
    expect(trace.error).toBeNull();
    expect(trace.prediction).toEqual({ answer: 'Paris' });
    expect(retriever.requests).toEqual([{ query: 'France capital', k: 2 }]);
    expect(trace.retrievals).toEqual([
      expect.objectContaining({ module: 'retrieve', query: 'France capital', k: 2, backend: 'list', retriever: 'list:test', afterCalls: 1, attempts: 1, latencyMs: 5, cached: false, error: null }),
    ]);
    // k = 2 of the three that match; the answer's prompt saw exactly those passages.
    expect(trace.retrievals![0]!.passages.map((p) => p.id)).toEqual(['a', 'b']);
    expect(trace.calls[1]!.inputs.context).toEqual([passages[0]!.text, passages[1]!.text]);
  });

  it('fails the program run with the retrieval recorded when the backend fails, and when the run has no retriever', async () => {
    const failing: Retriever = {
      id: 'down',
      backend: 'colbert',
      retrieve: async () => {
        throw new RetrieveError('timeout', 'no answer in 10 s', { attempts: 3 });
      },
    };
    const trace = await runProgram(new SearchThenAnswer(), { question: 'q' }, envWith(failing));
    expect(trace.prediction).toBeNull();
    expect(trace.error).toEqual({ kind: 'retrieve:timeout', message: 'no answer in 10 s' });
    expect(trace.retrievals).toHaveLength(1);
    expect(trace.retrievals![0]).toMatchObject({ attempts: 3, passages: [], error: { kind: 'retrieve:timeout' } });
    expect(trace.calls).toHaveLength(1);

    const none = await runProgram(new SearchThenAnswer(), { question: 'q' }, envWith(undefined));
    expect(none.error?.message).toMatch(/has no retriever/);
  });

  it('is named by its path in nested programs and left out of the predictors', () => {
    class Hops extends Module {
      hops = [new SearchThenAnswer(), new SearchThenAnswer()];
      async forward(): Promise<Prediction> {
        return {};
      }
    }
    const program = new Hops();
    expect(program.namedPredictors()).toHaveLength(4);
    expect(program.hops[1]!.retrieve.path).toBe('hops[1].retrieve');
    expect(program.clone().hops[0]!.retrieve.k).toBe(2);
    expect(() => new Retrieve(0)).toThrow(/k >= 1/);
  });
});
