// A no-code task: what a researcher writes in a JSON or YAML file (or the workbench's form) to
// define a task without code: a CSV or JSONL dataset with its columns mapped to fields, input and
// output fields with descriptions, instructions, one or more chained stages (Predict or
// ChainOfThought), an optional retrieval step, a metric from a fixed list and the Π subsample.
// Only zod here, so every front end validates a definition the same way; core/tasks/declarative
// reads the file and compiles a definition into a Task.
//
// Stages chain: each stage reads the task's inputs (and `context`, the retrieved passages, when
// the task retrieves) plus earlier stages' outputs; the last stage writes the task's outputs.
// `planStages` works out every stage's fields once, for the validation below and the compiler.

import { z } from 'zod';
import type { ApiIssue } from './errors.ts';
import { issuesOf } from './input-issues.ts';
import { INDEX_NAME } from './retriever-spec.ts';

/** The metric kinds a definition may name, in the order a form lists them, with their labels and the fields each takes besides `field`. */
export const METRIC_KINDS = [
  { kind: 'exact', options: [], label: 'Exact match', description: 'The prediction equals the gold value (surrounding whitespace ignored).' },
  {
    kind: 'normalized-exact',
    options: [],
    label: 'Normalized exact match',
    description: 'Equal after SQuAD normalization: lowercase, no punctuation, no articles (a, an, the), single spaces.',
  },
  { kind: 'f1', options: ['threshold'], label: 'Token F1 ≥ threshold', description: 'Passes (1) when the token F1 of the normalized answers reaches the threshold, else 0.' },
  { kind: 'integer', options: [], label: 'Integer match', description: 'The last number in the prediction equals the gold integer (GSM8K style: 1,234, $18 and 18.0 are read).' },
  { kind: 'numeric', options: ['tolerance'], label: 'Numeric within tolerance', description: 'The last number in the prediction is within ± tolerance of the gold number.' },
  { kind: 'label', options: ['labels'], label: 'One of a label set', description: 'The prediction names one of the labels (case-insensitive) and it is the gold label.' },
  { kind: 'contains', options: [], label: 'Contains the answer', description: 'The normalized gold answer appears, as whole words, in the normalized prediction.' },
  { kind: 'regex', options: ['pattern', 'flags'], label: 'Regular expression', description: 'The pattern matches the prediction; the gold value is not used.' },
] as const;

export type MetricKind = (typeof METRIC_KINDS)[number]['kind'];
export const METRIC_KIND_NAMES = METRIC_KINDS.map((m) => m.kind) as unknown as readonly [MetricKind, ...MetricKind[]];

/** How a stage predicts: one LM call, or one that writes `reasoning` first. */
export const STAGE_KINDS = ['predict', 'chain-of-thought'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** Dataset file formats; when absent, the file's extension decides (`.csv`, `.jsonl`, `.ndjson`, optionally `.gz`). */
export const DATASET_FORMATS = ['csv', 'jsonl'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** The input that receives the retrieved passages, and the output chain-of-thought stages add. */
export const CONTEXT_FIELD = 'context';
export const REASONING_FIELD = 'reasoning';

/** Π's subsample when a definition names none (the paper's, shrunk to the train split by the runner). */
export const DEFAULT_DECLARATIVE_PROTOCOL = { train: 100, val: 250 } as const;
export const DEFAULT_RETRIEVER_K = 3;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TASK_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const REGEX_FLAGS = /^[imsuv]*$/;

const fieldName = z.string().regex(FIELD_NAME, { error: 'must be an identifier: a letter or _, then letters, digits or _' });
const description = z.string().max(2000).default('');

export const FieldDefinition = z.strictObject({ name: fieldName, description });
export type FieldDefinition = z.output<typeof FieldDefinition>;

/** Sizes (all whole numbers) or fractions of the examples (any not whole; each ≤ 1, summing to ≤ 1). */
export const SplitsDefinition = z
  .strictObject({ train: z.number().gt(0), dev: z.number().gt(0), test: z.number().gt(0) })
  .superRefine((splits, ctx) => {
    const values = [splits.train, splits.dev, splits.test];
    if (values.every(Number.isInteger)) return;
    for (const key of ['train', 'dev', 'test'] as const) {
      if (splits[key] > 1) {
        ctx.addIssue({ code: 'custom', path: [key], message: `mixes sizes and fractions: give all three as whole numbers or all as fractions of 1, got ${splits[key]}` });
      }
    }
    const sum = values.reduce((a, b) => a + b, 0);
    if (sum > 1 + 1e-9) ctx.addIssue({ code: 'custom', message: `fractions must sum to at most 1, got ${Number(sum.toFixed(6))}` });
  });
export type SplitsDefinition = z.output<typeof SplitsDefinition>;

export const DatasetDefinition = z.strictObject({
  /** Path of the CSV or JSONL file, relative to the definition file's folder. */
  file: z.string().min(1),
  format: z.enum(DATASET_FORMATS).optional(),
  /** Column holding each example's id (unique); absent: `<task>-<row number>`. */
  idColumn: z.string().min(1).optional(),
  /** field name → column name (CSV header) or key (JSONL); a field not listed reads the column of its own name. */
  columns: z
    .record(fieldName, z.string().min(1), { error: (issue) => (issue.code === 'invalid_key' ? `field name "${String((issue as { input?: unknown }).input ?? '')}" must be an identifier: a letter or _, then letters, digits or _` : undefined) })
    .default({}),
  /** Absent: equal thirds (like Iris). */
  splits: SplitsDefinition.optional(),
  /** A field whose values each split holds in (nearly) the same proportions. */
  stratifyBy: fieldName.optional(),
});
export type DatasetDefinition = z.output<typeof DatasetDefinition>;

/** A stage's output: a name (a task output, or a new intermediate field) or a field with its description. */
const StageOutput = z.union([fieldName, FieldDefinition]);

export const StageDefinition = z.strictObject({
  name: fieldName.optional(),
  kind: z.enum(STAGE_KINDS).default('chain-of-thought'),
  /** Field names; absent: every field available to the stage. */
  inputs: z.array(fieldName).min(1).optional(),
  /** Absent on the last stage: the task's outputs. Required on the others. */
  outputs: z.array(StageOutput).min(1).optional(),
  /** Absent: the task's instructions. */
  instructions: z.string().max(20_000).optional(),
});
export type StageDefinition = z.output<typeof StageDefinition>;

export const RetrieverDefinition = z.strictObject({
  k: z.int().min(1).max(100).default(DEFAULT_RETRIEVER_K),
  /** The task input searched for; absent: the first input. */
  queryField: fieldName.optional(),
  /** A JSONL passage corpus (`{"id"?, "title", "text"}` per line), relative to the definition's folder; its index is built on first use. */
  corpus: z.string().min(1).optional(),
  /** A passage index of the workspace (`tandem index build`) searched instead of one built from `corpus`. */
  index: z.string().regex(INDEX_NAME, { error: 'must be an index name: letters, digits, _, . and -' }).optional(),
});
export type RetrieverDefinition = z.output<typeof RetrieverDefinition>;

const metricField = { field: fieldName };

export const MetricDefinition = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('exact'), ...metricField }),
    z.strictObject({ kind: z.literal('normalized-exact'), ...metricField }),
    z.strictObject({ kind: z.literal('f1'), ...metricField, threshold: z.number().gt(0).max(1) }),
    z.strictObject({ kind: z.literal('integer'), ...metricField }),
    z.strictObject({ kind: z.literal('numeric'), ...metricField, tolerance: z.number().min(0) }),
    z.strictObject({ kind: z.literal('label'), ...metricField, labels: z.array(z.union([z.string().trim().min(1), z.number().transform(String)])).min(1) }),
    z.strictObject({ kind: z.literal('contains'), ...metricField }),
    z.strictObject({ kind: z.literal('regex'), ...metricField, pattern: z.string().min(1), flags: z.string().optional() }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${METRIC_KIND_NAMES.map((k) => JSON.stringify(k)).join(', ')}` : undefined) },
);
export type MetricDefinition = z.output<typeof MetricDefinition>;

export const ProtocolDefinition = z.strictObject({ train: z.int().min(1), val: z.int().min(1) });

const TaskDefinitionShape = z.strictObject({
  name: z.string().max(64).regex(TASK_NAME, { error: 'must be a lowercase slug: a letter, then letters, digits, - or _ (e.g. "product-sentiment")' }),
  description: z.string().max(2000).default(''),
  dataset: DatasetDefinition,
  inputs: z.array(FieldDefinition).min(1),
  outputs: z.array(FieldDefinition).min(1),
  instructions: z.string().max(20_000).default(''),
  stages: z.array(StageDefinition).min(1).optional(),
  retriever: RetrieverDefinition.optional(),
  metric: MetricDefinition,
  protocol: ProtocolDefinition.optional(),
});

/** A planned stage: its path in the program and its fields, descriptions resolved. */
export interface StagePlan {
  index: number;
  name: string | null;
  /** The predictor's path in the compiled program. */
  path: string;
  kind: StageKind;
  inputs: FieldDefinition[];
  outputs: FieldDefinition[];
  /** The stage's own instructions, else the task's ('' lets the signature word its default). */
  instructions: string;
}

export interface DefinitionProblem {
  path: PropertyKey[];
  message: string;
}

type ShapeOutput = z.output<typeof TaskDefinitionShape>;

/** The predictor path of stage `index`. */
export function stagePath(index: number): string {
  return `stages[${index}]`;
}

/**
 * Every stage's fields (the default: one chain-of-thought stage, all inputs → all outputs), and
 * what is wrong with the chain. A definition that passed the schema has no problems.
 */
export function planStages(definition: ShapeOutput): { stages: StagePlan[]; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const available = new Map<string, FieldDefinition>();
  for (const field of definition.inputs) available.set(field.name, field);
  if (definition.retriever) {
    const query = definition.retriever.queryField ?? definition.inputs[0]?.name ?? 'query';
    available.set(CONTEXT_FIELD, { name: CONTEXT_FIELD, description: `Passages retrieved for the ${query}, each as "Title | text".` });
  }
  const taskOutputs = new Map(definition.outputs.map((f) => [f.name, f]));
  const declared = definition.stages ?? [{ kind: 'chain-of-thought' as const }];
  const last = declared.length - 1;
  const stages: StagePlan[] = declared.map((stage, index) => {
    const at = (...rest: PropertyKey[]) => (definition.stages ? ['stages', index, ...rest] : ['stages']);
    let inputs: FieldDefinition[];
    if (stage.inputs) {
      inputs = [];
      stage.inputs.forEach((name, i) => {
        const field = available.get(name);
        if (field) inputs.push(field);
        else {
          const where = taskOutputs.has(name) ? 'a task output, which only the last stage writes' : 'not a task input or an earlier stage\'s output';
          problems.push({ path: at('inputs', i), message: `"${name}" is ${where} (available: ${[...available.keys()].join(', ')})` });
        }
      });
    } else {
      inputs = [...available.values()];
    }
    let outputs: FieldDefinition[];
    if (stage.outputs) {
      outputs = stage.outputs.map((out) => (typeof out === 'string' ? (taskOutputs.get(out) ?? { name: out, description: '' }) : out));
      outputs.forEach((field, i) => {
        if (available.has(field.name)) {
          problems.push({ path: at('outputs', i), message: `"${field.name}" is already ${definition.inputs.some((f) => f.name === field.name) ? 'a task input' : field.name === CONTEXT_FIELD ? 'the retrieved passages' : 'written by an earlier stage'}` });
        } else if (field.name === REASONING_FIELD) {
          problems.push({ path: at('outputs', i), message: `"${REASONING_FIELD}" is reserved: chain-of-thought stages write it` });
        } else if (index < last && taskOutputs.has(field.name)) {
          problems.push({ path: at('outputs', i), message: `"${field.name}" is a task output; only the last stage writes the task's outputs` });
        }
      });
      if (index === last) {
        const missing = [...taskOutputs.keys()].filter((name) => !outputs.some((f) => f.name === name));
        if (missing.length > 0) problems.push({ path: at('outputs'), message: `the last stage must write the task's outputs; missing ${missing.map((m) => `"${m}"`).join(', ')}` });
      }
    } else if (index === last) {
      outputs = [...taskOutputs.values()];
    } else {
      outputs = [];
      problems.push({ path: at(), message: 'a stage before the last must name its outputs (the fields later stages read)' });
    }
    for (const field of outputs) if (!available.has(field.name)) available.set(field.name, field);
    return {
      index,
      name: stage.name ?? null,
      path: stagePath(index),
      kind: stage.kind,
      inputs,
      outputs,
      instructions: stage.instructions?.trim() || definition.instructions,
    };
  });
  if (definition.retriever && !stages.some((s) => s.inputs.some((f) => f.name === CONTEXT_FIELD))) {
    problems.push({ path: ['retriever'], message: `the retrieved passages go into "${CONTEXT_FIELD}", but no stage reads it` });
  }
  return { stages, problems };
}

function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) (seen.has(name) ? twice : seen).add(name);
  return twice;
}

function checkDefinition(definition: ShapeOutput, ctx: z.RefinementCtx): void {
  const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const inputNames = definition.inputs.map((f) => f.name);
  const outputNames = definition.outputs.map((f) => f.name);
  const all = [...inputNames, ...outputNames];
  const twice = duplicates(all);
  [...definition.inputs, ...definition.outputs].forEach((field, i) => {
    const list = i < inputNames.length ? 'inputs' : 'outputs';
    const index = i < inputNames.length ? i : i - inputNames.length;
    if (twice.has(field.name) && all.indexOf(field.name) !== i) problem([list, index, 'name'], `field "${field.name}" is declared twice`);
    if (field.name === REASONING_FIELD) problem([list, index, 'name'], `"${REASONING_FIELD}" is reserved: chain-of-thought stages write it`);
    if (field.name === CONTEXT_FIELD && definition.retriever) problem([list, index, 'name'], `"${CONTEXT_FIELD}" is reserved for the retrieved passages when the task retrieves`);
  });

  const { dataset } = definition;
  if (!dataset.format && !formatFromFileName(dataset.file)) {
    problem(['dataset', 'format'], `is required: "${dataset.file}" ends in neither .csv nor .jsonl (or .ndjson); set format to "csv" or "jsonl"`);
  }
  for (const field of Object.keys(dataset.columns)) {
    if (!all.includes(field)) problem(['dataset', 'columns', field], `"${field}" is not an input or output field (fields: ${all.join(', ')})`);
  }
  if (dataset.stratifyBy !== undefined && !all.includes(dataset.stratifyBy)) {
    problem(['dataset', 'stratifyBy'], `"${dataset.stratifyBy}" is not an input or output field (fields: ${all.join(', ')})`);
  }

  const { metric } = definition;
  if (!outputNames.includes(metric.field)) problem(['metric', 'field'], `"${metric.field}" is not an output field (outputs: ${outputNames.join(', ')})`);
  if (metric.kind === 'label') {
    const lowered = metric.labels.map((l) => l.toLowerCase());
    const repeated = duplicates(lowered);
    if (repeated.size > 0) problem(['metric', 'labels'], `labels must differ ignoring case; repeated: ${[...repeated].map((l) => `"${l}"`).join(', ')}`);
  }
  if (metric.kind === 'regex') {
    const flags = metric.flags ?? '';
    if (!REGEX_FLAGS.test(flags) || duplicates([...flags]).size > 0) {
      problem(['metric', 'flags'], `must be distinct flags among i, m, s, u, v (g and y are not allowed), got "${flags}"`);
    } else {
      const compiled = compileRegex(metric.pattern, flags);
      if (typeof compiled === 'string') problem(['metric', 'pattern'], `is not a valid regular expression: ${compiled}`);
    }
  }

  if (definition.retriever) {
    const { queryField, corpus, index } = definition.retriever;
    if (queryField !== undefined && !inputNames.includes(queryField)) {
      problem(['retriever', 'queryField'], `"${queryField}" is not an input field (inputs: ${inputNames.join(', ')})`);
    }
    if ((corpus === undefined) === (index === undefined)) {
      problem(['retriever'], 'needs exactly one of corpus (a JSONL passage file whose index is built on first use) or index (a workspace passage index)');
    }
  }

  const stageNames = new Set<string>();
  (definition.stages ?? []).forEach((stage, i) => {
    if (stage.name === undefined) return;
    if (stageNames.has(stage.name)) problem(['stages', i, 'name'], `stage name "${stage.name}" is used twice`);
    stageNames.add(stage.name);
  });
  for (const p of planStages(definition).problems) problem(p.path, p.message);
}

/** A no-code task definition; defaults filled in on parse. */
export const TaskDefinitionSchema = TaskDefinitionShape.superRefine(checkDefinition);
export type TaskDefinition = z.output<typeof TaskDefinitionSchema>;
export type TaskDefinitionInput = z.input<typeof TaskDefinitionSchema>;

/** The format a dataset file's name implies (`.csv`, `.jsonl`, `.ndjson`, each optionally `.gz`), or null. */
export function formatFromFileName(file: string): DatasetFormat | null {
  const lower = file.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return null;
}

/** The compiled pattern, or why it does not compile. */
export function compileRegex(pattern: string, flags = ''): RegExp | string {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
  }
}

/** The predictor path of a stage given by name or index (`stages[1]`), or null when there is none. */
export function stagePathOf(definition: Pick<TaskDefinition, 'stages'>, stage: string | number): string | null {
  const stages = definition.stages ?? [{}];
  if (typeof stage === 'number') return Number.isInteger(stage) && stage >= 0 && stage < stages.length ? stagePath(stage) : null;
  const index = stages.findIndex((s) => 'name' in s && s.name === stage);
  return index < 0 ? null : stagePath(index);
}

/** A definition checked as every front end checks it: the parsed definition, or one readable problem per field (`issuesOf`). */
export function validateTaskDefinition(value: unknown): { success: true; definition: TaskDefinition } | { success: false; issues: ApiIssue[] } {
  const result = TaskDefinitionSchema.safeParse(value, { reportInput: true });
  return result.success ? { success: true, definition: result.data } : { success: false, issues: issuesOf(result.error) };
}
