// The New task form's state and the definition it stands for. The form is a structured editor of
// a no-code task definition (core/contract/task-definition.ts): `definitionOf` turns what was
// typed into the definition object (leaving out what is empty, so the text stays short) and
// `definitionYaml` writes it as the YAML a user could save by hand. The server checks it.
import { stringify } from 'yaml';
import { METRIC_KINDS, type DatasetFormat, type MetricKind, type StageKind } from '../../../../core/contract/task-definition.ts';

export interface FieldRow {
  name: string;
  description: string;
  /** The dataset column (CSV header, JSONL key) the field reads; empty: the field's own name. */
  column: string;
}

export interface StageRow {
  name: string;
  kind: StageKind;
  /** Comma-separated new fields a stage before the last writes for later stages. */
  outputs: string;
  /** Empty: the task's instructions. */
  instructions: string;
}

export interface TaskFormState {
  name: string;
  description: string;
  datasetFile: string;
  /** '' lets the file's extension decide. */
  datasetFormat: '' | DatasetFormat;
  idColumn: string;
  inputs: FieldRow[];
  outputs: FieldRow[];
  instructions: string;
  stages: StageRow[];
  metricKind: MetricKind;
  /** Empty: the first output. */
  metricField: string;
  threshold: string;
  tolerance: string;
  /** Comma-separated. */
  labels: string;
  pattern: string;
  flags: string;
  retrieves: boolean;
  retrieverSource: 'corpus' | 'index';
  retrieverValue: string;
  retrieverK: string;
  retrieverQuery: string;
}

export const EMPTY_FIELD: FieldRow = { name: '', description: '', column: '' };
export const NEW_STAGE: StageRow = { name: '', kind: 'predict', outputs: '', instructions: '' };

export function initialTaskForm(): TaskFormState {
  return {
    name: '',
    description: '',
    datasetFile: '',
    datasetFormat: '',
    idColumn: '',
    inputs: [{ name: 'question', description: '', column: '' }],
    outputs: [{ name: 'answer', description: '', column: '' }],
    instructions: '',
    stages: [{ ...NEW_STAGE, kind: 'chain-of-thought' }],
    metricKind: 'normalized-exact',
    metricField: '',
    threshold: '0.5',
    tolerance: '0',
    labels: '',
    pattern: '',
    flags: '',
    retrieves: false,
    retrieverSource: 'corpus',
    retrieverValue: '',
    retrieverK: '3',
    retrieverQuery: '',
  };
}

/** The extra fields a metric kind takes, as the contract lists them. */
export function metricOptions(kind: MetricKind): readonly string[] {
  return METRIC_KINDS.find((m) => m.kind === kind)?.options ?? [];
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A number when the text is one, else the text itself (the server says what is wrong with it). */
const numberOr = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text.trim());

const field = (row: FieldRow) => (row.description.trim() ? { name: row.name.trim(), description: row.description.trim() } : { name: row.name.trim() });

/** The definition the form stands for, as plain data (empty optional parts left out). */
export function definitionOf(s: TaskFormState): Record<string, unknown> {
  const used = (rows: FieldRow[]) => rows.filter((r) => r.name.trim() !== '' || r.description.trim() !== '' || r.column.trim() !== '');
  const inputs = used(s.inputs);
  const outputs = used(s.outputs);
  const columns: Record<string, string> = {};
  for (const row of [...inputs, ...outputs]) {
    if (row.column.trim() && row.column.trim() !== row.name.trim()) columns[row.name.trim()] = row.column.trim();
  }
  const dataset: Record<string, unknown> = { file: s.datasetFile.trim() };
  if (s.datasetFormat) dataset.format = s.datasetFormat;
  if (s.idColumn.trim()) dataset.idColumn = s.idColumn.trim();
  if (Object.keys(columns).length > 0) dataset.columns = columns;

  const last = s.stages.length - 1;
  const stages = s.stages.map((stage, i) => {
    const out: Record<string, unknown> = {};
    if (stage.name.trim()) out.name = stage.name.trim();
    out.kind = stage.kind;
    if (i < last) out.outputs = list(stage.outputs);
    if (stage.instructions.trim()) out.instructions = stage.instructions.trim();
    return out;
  });

  const metric: Record<string, unknown> = { kind: s.metricKind, field: s.metricField.trim() || outputs[0]?.name.trim() || '' };
  const options = metricOptions(s.metricKind);
  if (options.includes('threshold')) metric.threshold = numberOr(s.threshold);
  if (options.includes('tolerance')) metric.tolerance = numberOr(s.tolerance);
  if (options.includes('labels')) metric.labels = list(s.labels);
  if (options.includes('pattern')) metric.pattern = s.pattern;
  if (options.includes('flags') && s.flags.trim()) metric.flags = s.flags.trim();

  const definition: Record<string, unknown> = { name: s.name.trim() };
  if (s.description.trim()) definition.description = s.description.trim();
  definition.dataset = dataset;
  definition.inputs = inputs.map(field);
  definition.outputs = outputs.map(field);
  if (s.instructions.trim()) definition.instructions = s.instructions.trim();
  definition.stages = stages;
  if (s.retrieves) {
    const retriever: Record<string, unknown> = { k: numberOr(s.retrieverK) };
    if (s.retrieverQuery.trim()) retriever.queryField = s.retrieverQuery.trim();
    retriever[s.retrieverSource] = s.retrieverValue.trim();
    definition.retriever = retriever;
  }
  definition.metric = metric;
  return definition;
}

/** The definition as YAML text. */
export function definitionYaml(s: TaskFormState): string {
  return stringify(definitionOf(s), { lineWidth: 0 });
}
