// The stub server's answer policy (tests/fixtures/stub-openai-server.ts): integration and
// end-to-end tests rely on it being deterministic and on demos helping the Iris task.

import { describe, expect, it } from 'vitest';
import { answerChat, irisSpecies, listedFields, sections, validateFaultSpec } from '../../fixtures/stub-openai-server.ts';

const IRIS_SYSTEM = [
  'You classify iris flowers.',
  '',
  'Inputs you receive:',
  '- `sepal_length`: cm',
  '- `sepal_width`: cm',
  '- `petal_length`: cm',
  '- `petal_width`: cm',
  '',
  'Outputs you write:',
  '- `reasoning`: think first',
  '- `species`: one of setosa, versicolor, virginica',
  '',
  'Answer with the output fields in order.',
].join('\n');

function irisUser(v: [number, number, number, number]): string {
  return `[[ ## sepal_length ## ]]\n${v[0]}\n\n[[ ## sepal_width ## ]]\n${v[1]}\n\n[[ ## petal_length ## ]]\n${v[2]}\n\n[[ ## petal_width ## ]]\n${v[3]}`;
}

function species(text: string): string {
  return sections(text).species!;
}

function grid(): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < 300; i++) out.push([4.3 + (i % 37) / 10, 2 + (i % 23) / 10, 1 + (i % 59) / 10, 0.1 + (i % 25) / 10]);
  return out;
}

describe('stub answer policy', () => {
  it('reads field lists and sections', () => {
    expect(listedFields(IRIS_SYSTEM, 'Inputs you receive:')).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(listedFields(IRIS_SYSTEM, 'Outputs you write:')).toEqual(['reasoning', 'species']);
    expect(sections(irisUser([5.1, 3.5, 1.4, 0.2]))).toEqual({ sepal_length: '5.1', sepal_width: '3.5', petal_length: '1.4', petal_width: '0.2' });
    const withInstruction = `${irisUser([5.1, 3.5, 1.4, 0.2])}\n\nReply with \`[[ ## species ## ]]\`, then \`[[ ## completed ## ]]\`.`;
    expect(sections(withInstruction).petal_width).toBe('0.2');
    expect(sections('[[ ## question ## ]]\nline one\n\nline two').question).toBe('line one\n\nline two');
  });

  it('answers every output field in order and ends with the completion marker', () => {
    const text = answerChat([
      { role: 'system', content: IRIS_SYSTEM },
      { role: 'user', content: irisUser([5.1, 3.5, 1.4, 0.2]) },
    ]);
    expect(text).toMatch(/^\[\[ ## reasoning ## \]\]\n.+\n\n\[\[ ## species ## \]\]\n(setosa|versicolor|virginica)\n\n\[\[ ## completed ## \]\]$/);
  });

  it('is wrong on about 30% of Iris inputs without demos and about 10% with demos', () => {
    const rows = grid();
    const wrongWithout = new Set<number>();
    const wrongWith = new Set<number>();
    rows.forEach((v, i) => {
      const right = irisSpecies(v[2], v[3]);
      const zeroShot = answerChat([
        { role: 'system', content: IRIS_SYSTEM },
        { role: 'user', content: irisUser(v) },
      ]);
      const withDemo = answerChat([
        { role: 'system', content: IRIS_SYSTEM },
        { role: 'user', content: irisUser([5, 3, 1.5, 0.2]) },
        { role: 'assistant', content: '[[ ## reasoning ## ]]\nsmall petals\n\n[[ ## species ## ]]\nsetosa\n\n[[ ## completed ## ]]' },
        { role: 'user', content: irisUser(v) },
      ]);
      expect(['setosa', 'versicolor', 'virginica']).toContain(species(zeroShot));
      if (species(zeroShot) !== right) wrongWithout.add(i);
      if (species(withDemo) !== right) wrongWith.add(i);
      // Deterministic.
      expect(answerChat([{ role: 'system', content: IRIS_SYSTEM }, { role: 'user', content: irisUser(v) }])).toBe(zeroShot);
    });
    expect(wrongWithout.size / rows.length).toBeGreaterThan(0.2);
    expect(wrongWithout.size / rows.length).toBeLessThan(0.4);
    expect(wrongWith.size / rows.length).toBeGreaterThan(0.03);
    expect(wrongWith.size / rows.length).toBeLessThan(0.17);
    for (const i of wrongWith) expect(wrongWithout.has(i)).toBe(true);
  });

  it('answers GSM8K-like questions with the last number in the question', () => {
    const system = 'Inputs you receive:\n- `question`: a math problem\n\nOutputs you write:\n- `reasoning`: steps\n- `answer`: a number\n';
    const text = answerChat([
      { role: 'system', content: system },
      { role: 'user', content: '[[ ## question ## ]]\nTom has 3 apples and buys 1,250 more. How many?' },
    ]);
    expect(sections(text).answer).toBe('1250');
  });

  it('answers other fields with a placeholder', () => {
    const system = 'Inputs you receive:\n- `context`: text\n\nOutputs you write:\n- `summary`: a summary\n';
    expect(answerChat([{ role: 'system', content: system }, { role: 'user', content: '[[ ## context ## ]]\nabc' }])).toBe('[[ ## summary ## ]]\nstub summary\n\n[[ ## completed ## ]]');
  });

  it('answers multi-hop fields: a query from the question and the first title found, an answer from the context', () => {
    const system = (out: string) => `Inputs you receive:\n- \`context\`: passages\n- \`question\`: q\n\nOutputs you write:\n- \`${out}\`: x\n`;
    const user = (context: string, question: string) => ({ role: 'user' as const, content: `[[ ## context ## ]]\n${context}\n\n[[ ## question ## ]]\n${question}` });
    const context = '[1] Varnel Oskit | Varnel Oskit was born in Tromadue.\n[2] Tromadue | Tromadue is a town.';
    expect(answerChat([{ role: 'system', content: system('search_query') }, user('', 'Where was Varnel Oskit born?')])).toContain('[[ ## search_query ## ]]\nWhere was Varnel Oskit born?\n');
    expect(answerChat([{ role: 'system', content: system('search_query') }, user(context, 'Where was he born?')])).toContain('[[ ## search_query ## ]]\nVarnel Oskit Where was he born?\n');
    expect(answerChat([{ role: 'system', content: system('answer') }, user(context, 'Which town?')])).toContain('[[ ## answer ## ]]\nTromadue\n');
    expect(answerChat([{ role: 'system', content: system('answer') }, user(context, 'Is Tromadue a town?')])).toContain('[[ ## answer ## ]]\nyes\n');
  });

  it('validates fault specs', () => {
    expect(validateFaultSpec({ http500: { rate: 0.5 }, http429: { first: 2, retryAfter: 0 } })).toBeTruthy();
    expect(() => validateFaultSpec({ explode: { rate: 1 } })).toThrow(/unknown fault "explode"; valid faults: drop/);
    expect(() => validateFaultSpec({ http500: { rate: 2 } })).toThrow(/rate must be in 0..1/);
  });
});

describe('stub answers through the real chat adapter', () => {
  it('reads ChatAdapter prompts for Iris, and a demo lowers its error rate', async () => {
    const { ChatAdapter } = await import('../../../core/adapter/chat-adapter.ts');
    const { ChainOfThought } = await import('../../../core/program/chain-of-thought.ts');
    const { irisSignature, loadIrisExamples } = await import('../../../core/tasks/iris.ts');
    const adapter = new ChatAdapter();
    const sig = new ChainOfThought(irisSignature()).signature;
    const examples = await loadIrisExamples(new URL('../../../resources/datasets/iris/iris.csv', import.meta.url).pathname);
    const first = examples[0]!;
    const demo = { fields: { ...first.inputs, reasoning: 'Short petals.', species: first.labels.species! }, augmented: false, exampleId: first.id };
    let wrongZeroShot = 0;
    let wrongWithDemo = 0;
    for (const ex of examples) {
      const gold = ex.labels.species;
      const zeroShot = adapter.parse(sig, answerChat(adapter.format(sig, [], ex.inputs))).fields;
      const withDemo = adapter.parse(sig, answerChat(adapter.format(sig, [demo], ex.inputs))).fields;
      expect(zeroShot.reasoning).toBeTruthy();
      if (zeroShot.species !== gold) wrongZeroShot++;
      if (withDemo.species !== gold) wrongWithDemo++;
    }
    expect(wrongZeroShot / examples.length).toBeGreaterThan(0.2);
    expect(wrongZeroShot / examples.length).toBeLessThan(0.4);
    expect(wrongWithDemo).toBeLessThan(wrongZeroShot);
  });
});
