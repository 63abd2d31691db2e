// The no-code task schema: defaults, every metric kind, and a clear message at the right field
// path for each kind of mistake.

import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../../../core/contract/input-issues.ts';
import {
  METRIC_KIND_NAMES,
  METRIC_KINDS,
  MetricDefinition,
  planStages,
  stagePathOf,
  TaskDefinitionSchema,
  validateTaskDefinition,
  type TaskDefinitionInput,
} from '../../../../core/contract/task-definition.ts';
import { minimalDefinition } from './helpers.ts';

function problems(definition: unknown): Array<{ path: string; message: string }> {
  const result = TaskDefinitionSchema.safeParse(definition);
  if (result.success) return [];
  return issuesOf(result.error);
}

function problemAt(definition: unknown, path: string): string {
  const found = problems(definition).find((p) => p.path === path);
  if (!found) throw new Error(`no problem at ${path}; got ${JSON.stringify(problems(definition))}`);
  return found.message;
}

const metricExamples: Record<string, object> = {
  exact: { kind: 'exact', field: 'sentiment' },
  'normalized-exact': { kind: 'normalized-exact', field: 'sentiment' },
  f1: { kind: 'f1', field: 'sentiment', threshold: 0.5 },
  integer: { kind: 'integer', field: 'sentiment' },
  numeric: { kind: 'numeric', field: 'sentiment', tolerance: 0.1 },
  label: { kind: 'label', field: 'sentiment', labels: ['a', 'b'] },
  contains: { kind: 'contains', field: 'sentiment' },
  regex: { kind: 'regex', field: 'sentiment', pattern: '^(yes|no)$', flags: 'i' },
};

describe('task definition schema', () => {
  it('fills in the defaults of a minimal definition: one chain-of-thought stage, all inputs to all outputs', () => {
    const parsed = TaskDefinitionSchema.parse(minimalDefinition());
    expect(parsed.description).toBe('');
    expect(parsed.instructions).toBe('');
    expect(parsed.dataset.columns).toEqual({});
    expect(parsed.stages).toBeUndefined();
    const { stages, problems: found } = planStages(parsed);
    expect(found).toEqual([]);
    expect(stages).toEqual([
      {
        index: 0,
        name: null,
        path: 'stages[0]',
        kind: 'chain-of-thought',
        inputs: [{ name: 'review', description: 'A product review.' }],
        outputs: [{ name: 'sentiment', description: 'positive, negative or neutral.' }],
        instructions: '',
      },
    ]);
  });

  it('accepts every metric kind the form lists, and lists each once', () => {
    expect(METRIC_KINDS.map((m) => m.kind)).toEqual(Object.keys(metricExamples));
    expect(new Set(METRIC_KIND_NAMES).size).toBe(METRIC_KIND_NAMES.length);
    // Each kind's options are exactly the schema's fields besides kind and field.
    for (const branch of MetricDefinition.options) {
      const kind = (branch.shape.kind as { value: string }).value;
      const options = Object.keys(branch.shape).filter((k) => k !== 'kind' && k !== 'field');
      expect(options, kind).toEqual([...METRIC_KINDS.find((m) => m.kind === kind)!.options]);
    }
    for (const kind of METRIC_KIND_NAMES) {
      expect(problems(minimalDefinition({ metric: metricExamples[kind] as TaskDefinitionInput['metric'] })), kind).toEqual([]);
    }
  });

  it('accepts a full definition: mapped columns, fractions, stratification, named stages, retriever, protocol', () => {
    const definition: TaskDefinitionInput = {
      ...minimalDefinition(),
      description: 'Sentiment with an aspect first.',
      instructions: 'Classify the review.',
      dataset: { file: 'data/reviews.tsv', format: 'csv', idColumn: 'id', columns: { review: 'text', sentiment: 'label' }, splits: { train: 0.5, dev: 0.25, test: 0.25 }, stratifyBy: 'sentiment' },
      stages: [
        { name: 'aspect', kind: 'predict', inputs: ['review', 'context'], outputs: [{ name: 'aspect', description: 'What the review is about.' }] },
        { name: 'classify', inputs: ['review', 'aspect'], instructions: 'Decide the sentiment.' },
      ],
      retriever: { k: 2, queryField: 'review', corpus: 'passages.jsonl' },
      protocol: { train: 10, val: 20 },
    };
    const parsed = TaskDefinitionSchema.parse(definition);
    const { stages } = planStages(parsed);
    expect(stages.map((s) => [s.path, s.kind, s.inputs.map((f) => f.name), s.outputs.map((f) => f.name), s.instructions])).toEqual([
      ['stages[0]', 'predict', ['review', 'context'], ['aspect'], 'Classify the review.'],
      ['stages[1]', 'chain-of-thought', ['review', 'aspect'], ['sentiment'], 'Decide the sentiment.'],
    ]);
    expect(stagePathOf(parsed, 'classify')).toBe('stages[1]');
    expect(stagePathOf(parsed, 0)).toBe('stages[0]');
    expect(stagePathOf(parsed, 'nope')).toBeNull();
    expect(stagePathOf(parsed, 2)).toBeNull();
  });

  it('names the field of each mistake with a message that says what is wrong', () => {
    expect(problemAt({ ...minimalDefinition(), extra: 1 }, '')).toBe('unknown field "extra"');
    expect(problemAt(minimalDefinition({ name: 'My Task' }), 'name')).toMatch(/lowercase slug/);
    expect(problemAt(minimalDefinition({ inputs: [] }), 'inputs')).toBe('must have at least 1 item');
    expect(problemAt(minimalDefinition({ inputs: [{ name: 'the review' }] }), 'inputs[0].name')).toMatch(/must be an identifier/);
    expect(problemAt(minimalDefinition({ metric: { kind: 'bleu', field: 'sentiment' } as never }), 'metric.kind')).toMatch(/^must be one of "exact", "normalized-exact", "f1"/);
    expect(problemAt(minimalDefinition({ metric: { kind: 'f1', field: 'sentiment' } as never }), 'metric.threshold')).toBe('is required');
    expect(problemAt(minimalDefinition({ metric: { kind: 'f1', field: 'sentiment', threshold: 0 } }), 'metric.threshold')).toMatch(/must be > 0/);
    expect(problemAt(minimalDefinition({ metric: { kind: 'exact', field: 'label' } }), 'metric.field')).toBe('"label" is not an output field (outputs: sentiment)');
    expect(problemAt(minimalDefinition({ metric: { kind: 'label', field: 'sentiment', labels: ['Yes', 'yes'] } }), 'metric.labels')).toBe('labels must differ ignoring case; repeated: "yes"');
    expect(problemAt(minimalDefinition({ metric: { kind: 'regex', field: 'sentiment', pattern: '(ab' } }), 'metric.pattern')).toMatch(/^is not a valid regular expression: .*Unterminated group/);
    expect(problemAt(minimalDefinition({ metric: { kind: 'regex', field: 'sentiment', pattern: 'a', flags: 'g' } }), 'metric.flags')).toMatch(/g and y are not allowed/);
    expect(TaskDefinitionSchema.parse(minimalDefinition({ metric: { kind: 'label', field: 'sentiment', labels: [1, 2, 'three'] } })).metric).toEqual({ kind: 'label', field: 'sentiment', labels: ['1', '2', 'three'] });
    expect(problemAt(minimalDefinition({ outputs: [{ name: 'review' }], metric: { kind: 'exact', field: 'review' } }), 'outputs[0].name')).toBe('field "review" is declared twice');
    expect(problemAt(minimalDefinition({ outputs: [{ name: 'reasoning' }], metric: { kind: 'exact', field: 'reasoning' } }), 'outputs[0].name')).toMatch(/reserved: chain-of-thought stages write it/);
  });

  it('checks the dataset block: format from the extension, mapped fields, splits', () => {
    expect(problemAt(minimalDefinition({ dataset: { file: 'reviews.txt' } }), 'dataset.format')).toMatch(/is required: "reviews.txt" ends in neither .csv nor .jsonl/);
    expect(problems(minimalDefinition({ dataset: { file: 'reviews.jsonl.gz' } }))).toEqual([]);
    expect(problemAt(minimalDefinition({ dataset: { file: 'r.csv', columns: { label: 'x' } } }), 'dataset.columns.label')).toBe('"label" is not an input or output field (fields: review, sentiment)');
    expect(problemAt(minimalDefinition({ dataset: { file: 'r.csv', columns: { 'the review': 'text' } } }), 'dataset.columns.the review')).toMatch(/^field name "the review" must be an identifier/);
    expect(problemAt(minimalDefinition({ dataset: { file: 'r.csv', stratifyBy: 'label' } }), 'dataset.stratifyBy')).toMatch(/"label" is not an input or output field/);
    expect(problemAt(minimalDefinition({ dataset: { file: 'r.csv', splits: { train: 0.5, dev: 20, test: 0.2 } } }), 'dataset.splits.dev')).toMatch(/mixes sizes and fractions/);
    expect(problemAt(minimalDefinition({ dataset: { file: 'r.csv', splits: { train: 0.6, dev: 0.3, test: 0.3 } } }), 'dataset.splits')).toBe('fractions must sum to at most 1, got 1.2');
    expect(problemAt(minimalDefinition({ dataset: { file: 'r.csv', splits: { train: 10, dev: 0, test: 5 } } }), 'dataset.splits.dev')).toMatch(/must be > 0/);
    expect(problemAt(minimalDefinition({ dataset: { file: 'r.csv', splits: { train: 10, dev: 5 } } as never }), 'dataset.splits.test')).toBe('is required');
  });

  it('checks the chain of stages: what each reads, what each writes, and that the last writes the outputs', () => {
    const chain = (stages: TaskDefinitionInput['stages']) => minimalDefinition({ stages });
    expect(problemAt(chain([{ outputs: ['aspect'] }, { inputs: ['review', 'topic'] }]), 'stages[1].inputs[1]')).toBe(
      '"topic" is not a task input or an earlier stage\'s output (available: review, aspect)',
    );
    expect(problemAt(chain([{ inputs: ['aspect'], outputs: ['aspect'] }, {}]), 'stages[0].inputs[0]')).toMatch(/"aspect" is not a task input/);
    expect(problemAt(chain([{ kind: 'predict' }, {}]), 'stages[0]')).toBe('a stage before the last must name its outputs (the fields later stages read)');
    expect(problemAt(chain([{ outputs: ['aspect'] }, { outputs: ['summary'] }]), 'stages[1].outputs')).toBe('the last stage must write the task\'s outputs; missing "sentiment"');
    expect(problemAt(chain([{ outputs: ['sentiment'] }, {}]), 'stages[0].outputs[0]')).toBe('"sentiment" is a task output; only the last stage writes the task\'s outputs');
    expect(problemAt(chain([{ outputs: ['review'] }, {}]), 'stages[0].outputs[0]')).toBe('"review" is already a task input');
    expect(problemAt(chain([{ name: 'a', outputs: ['x'] }, { name: 'a' }]), 'stages[1].name')).toBe('stage name "a" is used twice');
    expect(problemAt(chain([{ kind: 'tree-of-thought' as never }]), 'stages[0].kind')).toBe('must be one of "predict", "chain-of-thought"');
    expect(problemAt(chain([]), 'stages')).toBe('must have at least 1 item');
  });

  it('checks the retriever: one source of passages, a known query field, and a stage that reads the passages', () => {
    expect(problemAt(minimalDefinition({ retriever: { k: 3 } }), 'retriever')).toMatch(/needs exactly one of corpus .* or index/);
    expect(problemAt(minimalDefinition({ retriever: { corpus: 'a.jsonl', index: 'wiki' } }), 'retriever')).toMatch(/needs exactly one of/);
    expect(problemAt(minimalDefinition({ retriever: { index: 'wiki', queryField: 'question' } }), 'retriever.queryField')).toBe('"question" is not an input field (inputs: review)');
    expect(problemAt(minimalDefinition({ retriever: { index: 'wiki' }, stages: [{ inputs: ['review'] }] }), 'retriever')).toBe('the retrieved passages go into "context", but no stage reads it');
    expect(problemAt(minimalDefinition({ retriever: { index: 'no/slashes' } }), 'retriever.index')).toMatch(/must be an index name/);
    expect(problemAt(minimalDefinition({ inputs: [{ name: 'context' }], retriever: { index: 'wiki' } }), 'inputs[0].name')).toMatch(/reserved for the retrieved passages/);
    expect(problemAt(minimalDefinition({ retriever: { index: 'wiki', k: 0 } }), 'retriever.k')).toMatch(/must be ≥ 1/);
    const parsed = TaskDefinitionSchema.parse(minimalDefinition({ retriever: { index: 'wiki' } }));
    expect(parsed.retriever).toEqual({ k: 3, index: 'wiki' });
    expect(planStages(parsed).stages[0]!.inputs.map((f) => f.name)).toEqual(['review', 'context']);
  });

  it('validates as front ends do: the definition, or one problem per field saying what was given', () => {
    const ok = validateTaskDefinition(minimalDefinition());
    expect(ok.success && ok.definition.name).toBe('reviews');
    expect(validateTaskDefinition({ ...minimalDefinition(), name: 42, stages: [{ kind: 'tree' }] })).toEqual({
      success: false,
      issues: [
        { path: 'name', message: 'must be a string, got 42' },
        { path: 'stages[0].kind', message: 'must be one of "predict", "chain-of-thought", got "tree"' },
      ],
    });
  });

  it('parses its own output again to the same value (a spec stores the parsed definition)', () => {
    const once = TaskDefinitionSchema.parse(minimalDefinition({ stages: [{ outputs: ['aspect'] }, {}], retriever: { corpus: 'p.jsonl' } }));
    expect(TaskDefinitionSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});
