// The program of a no-code task run through the real chat adapter with a scripted LM: two chained
// stages (stage 2 reads stage 1's output), stable predictor paths across clones and saved states,
// and a retrieval step whose passages reach the first stage as `context`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatAdapter } from '../../../../core/adapter/chat-adapter.ts';
import type { ProgramEnv } from '../../../../core/program/context.ts';
import { runProgram } from '../../../../core/program/run-program.ts';
import { loadState, saveState } from '../../../../core/program/state.ts';
import type { RetrievedPassage, Retriever, RetrieveRequest } from '../../../../core/retrieve/retriever.ts';
import { compileDeclarativeTask } from '../../../../core/tasks/declarative/index.ts';
import { ScriptedLM } from '../../../helpers/scripted-lm.ts';
import { minimalDefinition, tempFolder, type TempFolder } from './helpers.ts';

let folder: TempFolder;
beforeAll(async () => {
  folder = await tempFolder();
});
afterAll(() => folder.cleanup());

const twoStages = minimalDefinition({
  instructions: 'Classify the sentiment of the review.',
  stages: [
    { name: 'aspect', kind: 'predict', outputs: [{ name: 'aspect', description: 'The part of the product the review is about.' }], instructions: 'Name the aspect the review talks about.' },
    { name: 'classify', kind: 'chain-of-thought', inputs: ['review', 'aspect'] },
  ],
});

const userText = (lm: ScriptedLM, call: number) => lm.requests[call]!.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
const systemText = (lm: ScriptedLM, call: number) => lm.requests[call]!.messages.find((m) => m.role === 'system')!.content;

function scripted(): ScriptedLM {
  return new ScriptedLM((request) => {
    const system = request.messages.find((m) => m.role === 'system')!.content;
    return system.includes('Name the aspect')
      ? '[[ ## aspect ## ]]\nbattery life\n\n[[ ## completed ## ]]'
      : '[[ ## reasoning ## ]]\nThe battery dies fast.\n\n[[ ## sentiment ## ]]\nnegative\n\n[[ ## completed ## ]]';
  });
}

class ListRetriever implements Retriever {
  readonly id = 'list:test';
  readonly backend = 'list';
  readonly requests: RetrieveRequest[] = [];
  constructor(private readonly passages: RetrievedPassage[]) {}
  async retrieve(request: RetrieveRequest): Promise<RetrievedPassage[]> {
    this.requests.push(request);
    return this.passages.slice(0, request.k);
  }
}

describe('the program of a no-code task', () => {
  it('chains two stages at stages[0] and stages[1]; stage 2 receives stage 1\'s output', async () => {
    const task = compileDeclarativeTask(twoStages, folder.dir);
    const program = task.createProgram();
    expect(program.namedPredictors().map(([path, p]) => [path, p.signature.toString()])).toEqual([
      ['stages[0]', 'review -> aspect'],
      ['stages[1]', 'review, aspect -> reasoning, sentiment'],
    ]);
    const lm = scripted();
    const env: ProgramEnv = { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: { temperature: 0 } };
    const trace = await runProgram(program, { review: 'The battery is dead by noon.' }, env, { exampleId: 'e1' });
    expect(trace.error).toBeNull();
    expect(trace.calls.map((c) => c.predictor)).toEqual(['stages[0]', 'stages[1]']);
    expect(trace.calls[1]!.inputs).toEqual({ review: 'The battery is dead by noon.', aspect: 'battery life' });
    expect(userText(lm, 1)).toContain('battery life');
    expect(userText(lm, 0)).not.toContain('battery life');
    expect(systemText(lm, 0)).toContain('Name the aspect the review talks about.');
    expect(systemText(lm, 1)).toContain('Classify the sentiment of the review.');
    expect(systemText(lm, 1)).toContain('The part of the product the review is about.');
    expect(trace.prediction).toEqual({ reasoning: 'The battery dies fast.', sentiment: 'negative' });
    expect(task.metric.score({ id: 'e1', inputs: {}, labels: { sentiment: 'Negative' } }, trace.prediction!)).toBe(1);
  });

  it('keeps its paths through clones and saved states', () => {
    const task = compileDeclarativeTask(twoStages, folder.dir);
    const program = task.createProgram();
    program.stages[1]!.demos = [{ fields: { review: 'r', aspect: 'a', reasoning: 'x', sentiment: 'positive' }, augmented: true, exampleId: 'e7' }];
    const copy = program.clone();
    expect(copy.namedPredictors().map(([path]) => path)).toEqual(['stages[0]', 'stages[1]']);
    expect(copy.stages[1]).not.toBe(program.stages[1]);
    const restored = loadState(task.createProgram(), JSON.parse(JSON.stringify(saveState(program))));
    expect(restored.stages[1]!.demos).toEqual(program.stages[1]!.demos);
    expect(restored.stages[0]!.demos).toEqual([]);
  });

  it('retrieves for the query field first and gives the passages to the stage as context', async () => {
    await folder.write('passages.jsonl', '{"id": "p1", "title": "Battery", "text": "Lithium cells fade."}\n{"title": "Screen", "text": "OLED panels."}\n');
    const task = compileDeclarativeTask(minimalDefinition({ retriever: { k: 2, corpus: 'passages.jsonl' } }), folder.dir);
    expect(task.retrieval!.defaultIndex(null)).toMatch(/^reviews-[0-9a-f]{10}$/);
    expect(task.retrieval!.describe(null)).toBe(`the passages of ${folder.dir}/passages.jsonl`);
    expect(await task.retrieval!.corpus(null)).toEqual([
      { id: 'p1', title: 'Battery', text: 'Lithium cells fade.' },
      { id: '2', title: 'Screen', text: 'OLED panels.' },
    ]);
    const program = task.createProgram();
    expect(program.namedPredictors().map(([path, p]) => [path, p.signature.toString()])).toEqual([['stages[0]', 'review, context -> reasoning, sentiment']]);
    const retriever = new ListRetriever([
      { id: 'p1', title: 'Battery', text: 'Lithium cells fade.', score: 2 },
      { id: 'p2', title: '', text: 'Untitled passage.', score: 1 },
      { id: 'p3', title: 'Extra', text: 'Not asked for.', score: 0 },
    ]);
    const lm = new ScriptedLM(() => '[[ ## reasoning ## ]]\nok\n\n[[ ## sentiment ## ]]\nneutral\n\n[[ ## completed ## ]]');
    const trace = await runProgram(program, { review: 'It works.' }, { resolveLM: () => lm, adapter: new ChatAdapter(), sampling: {}, retriever });
    expect(trace.error).toBeNull();
    expect(retriever.requests).toEqual([{ query: 'It works.', k: 2 }]);
    expect(trace.retrievals!.map((r) => [r.module, r.passages.length])).toEqual([['retrieve', 2]]);
    expect(trace.calls[0]!.inputs).toEqual({ review: 'It works.', context: ['Battery | Lithium cells fade.', 'Untitled passage.'] });

    const named = compileDeclarativeTask(minimalDefinition({ retriever: { index: 'wiki' } }), folder.dir);
    expect(named.retrieval!.defaultIndex('/some/data.csv')).toBe('wiki');
    await expect(named.retrieval!.corpus(null)).rejects.toThrow(/searches the workspace index "wiki", which does not exist/);
  });
});
