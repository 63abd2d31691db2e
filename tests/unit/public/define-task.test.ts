// defineTask, as a task file calls it through the public entry: every mistake in a definition is
// one TaskDefinitionError naming the task and the field, and `examples` are split seeded (thirds
// unless `splits` says otherwise), the same way every time for a seed.

import { describe, expect, it } from 'vitest';
import {
  defineTask,
  example,
  Module,
  Predict,
  Signature,
  TaskDefinitionError,
  type CallContext,
  type Example,
  type FieldValue,
  type Prediction,
  type TaskDefinition,
} from '../../../core/public/index.ts';

class Echo extends Module {
  answer = new Predict(Signature.parse('question -> answer'));
  forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    return this.answer.forward(inputs, ctx);
  }
}

const rows = (n: number): Example[] => Array.from({ length: n }, (_, i) => example(`q${i}`, { question: `q${i}?` }, { answer: `a${i}` }));

const valid = (): TaskDefinition => ({
  name: 'echo',
  description: 'Answers questions.',
  program: () => new Echo(),
  metric: (ex, prediction) => (prediction.answer === ex.labels.answer ? 1 : 0),
  examples: () => rows(30),
});

function definitionError(definition: unknown): TaskDefinitionError {
  try {
    defineTask(definition as TaskDefinition);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskDefinitionError);
    return error as TaskDefinitionError;
  }
  throw new Error('defineTask accepted the definition');
}

const ids = (list: readonly Example[]) => list.map((e) => e.id);

describe('defineTask', () => {
  it('makes a task with the definition name, description, metric and default protocol', async () => {
    const task = defineTask(valid());
    expect(task.name).toBe('echo');
    expect(task.description).toBe('Answers questions.');
    expect(task.protocol).toEqual({ train: 15, val: 35 });
    expect(task.checks).toBeUndefined();
    expect(task.retrieval).toBeUndefined();
    expect(task.createProgram()).toBeInstanceOf(Echo);
    expect(task.createProgram()).not.toBe(task.createProgram());
    const ex = rows(1)[0]!;
    expect(task.metric.score(ex, { answer: 'a0' })).toBe(1);
    expect(task.metric.score(ex, { answer: 'no' })).toBe(0);
    // An inline arrow takes the property's name; the metric is then named after the task.
    expect(task.metric.name).toBe('echo metric');
  });

  it('names a function metric after the function, and keeps a Metric object as it is', () => {
    function sameAnswer(ex: Example, prediction: Prediction) {
      return prediction.answer === ex.labels.answer ? 1 : 0;
    }
    expect(defineTask({ ...valid(), metric: sameAnswer }).metric.name).toBe('sameAnswer');
    const metric = { name: 'always', score: () => 1 };
    expect(defineTask({ ...valid(), metric }).metric).toBe(metric);
  });

  it.each([
    ['an upper-case name', { name: 'Echo' }, /task "Echo": name must be lower case/],
    ['a name with a space', { name: 'my task' }, /name must be lower case/],
    ['an empty name', { name: '' }, /name must be lower case/],
    ['no name', { name: undefined }, /task "undefined": name must be/],
    ['an empty description', { description: '  ' }, /task "echo": description must be a non-empty string/],
    ['a program that is not a function', { program: new Echo() }, /program must be a function returning a fresh Module/],
    ['a metric that is a number', { metric: 42 }, /metric must be a function \(example, prediction, trace\) => number/],
    ['a metric object without a name', { metric: { score: () => 1 } }, /metric must be a function/],
    ['a metric object without score()', { metric: { name: 'm' } }, /metric must be a function/],
    ['both examples and load', { load: () => ({ train: [], dev: [], test: [] }) }, /give exactly one of examples \(Tandem splits them\) or load/],
    ['neither examples nor load', { examples: undefined }, /give exactly one of examples/],
  ])('refuses %s', (_what, change, message) => {
    expect(definitionError({ ...valid(), ...change }).message).toMatch(message);
  });

  it('refuses something that is not an object', () => {
    expect(definitionError(null).message).toMatch(/defineTask needs an object/);
    expect(definitionError('echo').message).toMatch(/defineTask needs an object/);
  });

  it('refuses a program() that does not return a Module when the program is made', () => {
    const task = defineTask({ ...valid(), program: () => ({ forward: () => ({}) }) as unknown as Module });
    expect(() => task.createProgram()).toThrow(TaskDefinitionError);
    expect(() => task.createProgram()).toThrow(/task "echo": program\(\) must return a Module/);
  });

  it('splits examples seeded into thirds: the same seed gives the same splits, another seed others', async () => {
    const task = defineTask(valid());
    const a = await task.load({ seed: 0 });
    const b = await task.load({ seed: 0 });
    const c = await task.load({ seed: 1 });
    expect([a.train.length, a.dev.length, a.test.length]).toEqual([10, 10, 10]);
    expect([ids(a.train), ids(a.dev), ids(a.test)]).toEqual([ids(b.train), ids(b.dev), ids(b.test)]);
    expect(ids(c.train)).not.toEqual(ids(a.train));
    // Every example lands in exactly one split.
    expect([...ids(a.train), ...ids(a.dev), ...ids(a.test)].sort()).toEqual(ids(rows(30)).sort());
    // The split depends on the task's name too: two tasks over the same data do not split alike.
    const other = await defineTask({ ...valid(), name: 'echo-2' }).load({ seed: 0 });
    expect(ids(other.train)).not.toEqual(ids(a.train));
  });

  it('uses the split sizes given, and async examples', async () => {
    const task = defineTask({ ...valid(), examples: async () => rows(30), splits: { train: 20, dev: 5, test: 5 } });
    const splits = await task.load({ seed: 3 });
    expect([splits.train.length, splits.dev.length, splits.test.length]).toEqual([20, 5, 5]);
  });

  it('refuses examples() with fewer than 3 examples, or not a list, when loading', async () => {
    await expect(defineTask({ ...valid(), examples: () => rows(2) }).load({ seed: 0 })).rejects.toThrow(/examples\(\) must return at least 3 examples, got 2/);
    await expect(defineTask({ ...valid(), examples: () => 'rows' as unknown as Example[] }).load({ seed: 0 })).rejects.toThrow(/at least 3 examples, got string/);
  });

  it('hands load() the seed and data path and returns its splits as they are', async () => {
    const seen: unknown[] = [];
    const all = rows(6);
    const task = defineTask({
      ...valid(),
      examples: undefined,
      load: (options) => {
        seen.push(options);
        return { train: all.slice(0, 2), dev: all.slice(2, 4), test: all.slice(4) };
      },
      protocol: { train: 1, val: 1 },
    });
    const splits = await task.load({ seed: 7, dataPath: '/data/x.csv' });
    expect(seen).toEqual([{ seed: 7, dataPath: '/data/x.csv' }]);
    expect(ids(splits.train)).toEqual(['q0', 'q1']);
    expect(task.protocol).toEqual({ train: 1, val: 1 });
  });
});
