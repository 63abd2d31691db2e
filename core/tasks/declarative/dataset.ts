// A definition's dataset as examples: the CSV or JSONL file read with the dataset readers (their
// errors name file, line and column), each declared field read from its mapped column, inputs and
// outputs (the labels) apart. Missing columns are reported together, naming each column, its
// field and what the file has; a gold value the metric cannot read is reported at its line.

import { formatFromFileName, type TaskDefinition } from '../../contract/task-definition.ts';
import { readCsv } from '../../datasets/csv.ts';
import { DatasetError } from '../../datasets/errors.ts';
import { jsonlObject, readJsonl } from '../../datasets/jsonl.ts';
import { example, type Example, type FieldValue } from '../../program/example.ts';
import { goldProblem } from './metric.ts';

interface ColumnOf {
  field: string;
  column: string;
  role: 'input' | 'output';
}

/** A row or record: where it starts and how to read one column of it. */
interface RawRow {
  line: number;
  value(column: string): FieldValue | undefined;
  columnNumber?(column: string): number;
}

export function columnsOf(definition: TaskDefinition): ColumnOf[] {
  const column = (field: string) => definition.dataset.columns[field] ?? field;
  return [
    ...definition.inputs.map((f) => ({ field: f.name, column: column(f.name), role: 'input' as const })),
    ...definition.outputs.map((f) => ({ field: f.name, column: column(f.name), role: 'output' as const })),
  ];
}

function missingColumnsError(file: string, missing: ColumnOf[], idColumn: string | undefined, found: readonly string[], where: string, line: number): DatasetError {
  const named = missing.map((m) => (m.column === m.field ? `"${m.column}"` : `"${m.column}" (for field "${m.field}")`));
  if (idColumn !== undefined && !found.includes(idColumn)) named.push(`"${idColumn}" (the id column)`);
  return new DatasetError(`missing column${named.length > 1 ? 's' : ''} ${named.join(', ')}: ${where} has ${found.length > 0 ? found.join(', ') : 'none'}`, { file, line });
}

async function csvRows(file: string, columns: ColumnOf[], idColumn: string | undefined): Promise<RawRow[]> {
  const table = await readCsv(file);
  const missing = columns.filter((c) => !table.header.includes(c.column));
  if (missing.length > 0 || (idColumn !== undefined && !table.header.includes(idColumn))) {
    throw missingColumnsError(file, missing, idColumn, table.header, 'the header row', 1);
  }
  return table.rows.map((row) => ({
    line: row.line,
    value: (column) => row.values[column]?.trim(),
    columnNumber: (column) => table.header.indexOf(column) + 1,
  }));
}

function jsonValue(file: string, line: number, column: string, value: unknown): FieldValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new DatasetError('must be a string, a number, true/false or a list of strings', { file, line, field: column });
}

async function jsonlRows(file: string, columns: ColumnOf[], idColumn: string | undefined): Promise<RawRow[]> {
  const records = await readJsonl(file);
  const objects = records.map((record) => ({ line: record.line, object: jsonlObject(file, record) }));
  const first = objects[0];
  if (first) {
    const keys = Object.keys(first.object);
    const missing = columns.filter((c) => !(c.column in first.object));
    if (missing.length > 0 || (idColumn !== undefined && !(idColumn in first.object))) {
      throw missingColumnsError(file, missing, idColumn, keys, 'the first record', first.line);
    }
  }
  return objects.map(({ line, object }) => {
    for (const { column } of columns) {
      if (!(column in object)) throw new DatasetError(`missing field "${column}" (the record has ${Object.keys(object).join(', ') || 'none'})`, { file, line, field: column });
    }
    return { line, value: (column) => jsonValue(file, line, column, object[column]) };
  });
}

/** The examples of the definition's dataset file (`file`, resolved), in file order. */
export async function loadDefinitionExamples(definition: TaskDefinition, file: string): Promise<Example[]> {
  const columns = columnsOf(definition);
  const { idColumn } = definition.dataset;
  const format = definition.dataset.format ?? formatFromFileName(file) ?? 'csv';
  const rows = format === 'csv' ? await csvRows(file, columns, idColumn) : await jsonlRows(file, columns, idColumn);
  if (rows.length === 0) throw new DatasetError('the file has no examples', { file });
  const width = Math.max(3, String(rows.length - 1).length);
  const seen = new Map<string, number>();
  const metricField = definition.metric.field;
  return rows.map((row, index) => {
    const at = (column: string) => ({ file, line: row.line, field: column, ...(row.columnNumber ? { column: row.columnNumber(column) } : {}) });
    let id = `${definition.name}-${String(index).padStart(width, '0')}`;
    if (idColumn !== undefined) {
      const raw = row.value(idColumn);
      id = raw === undefined || typeof raw === 'boolean' || Array.isArray(raw) ? '' : String(raw).trim();
      if (id === '') throw new DatasetError('missing id (a non-empty string or number)', at(idColumn));
      const earlier = seen.get(id);
      if (earlier !== undefined) throw new DatasetError(`id "${id}" was already used on line ${earlier}`, at(idColumn));
      seen.set(id, row.line);
    }
    const inputs: Record<string, FieldValue> = {};
    const labels: Record<string, FieldValue> = {};
    for (const { field, column, role } of columns) {
      const value = row.value(column);
      if (role === 'input') {
        inputs[field] = value ?? '';
        continue;
      }
      if (field === metricField) {
        const problem = goldProblem(definition.metric, value);
        if (problem !== null) throw new DatasetError(problem, at(column));
      }
      if (value !== undefined && value !== '') labels[field] = value;
    }
    return example(id, inputs, labels);
  });
}
