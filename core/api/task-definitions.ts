// No-code task definitions through the API, for the workbench's task form: a definition's text
// checked as `tandem run` would read it (syntax, schema, a built-in task's name, then the dataset
// file read through the mapping and the first prompt rendered), saved into the workspace's
// `tasks/` folder beside the database, and the saved ones listed. Every problem is an issue with
// the field's path and the line of the text it is on; a problem in the dataset file also names
// that file and its line. Relative dataset paths are against the tasks folder, where the
// definition is saved, so a previewed text means the same once saved.

import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { ParsedInput } from '../contract/schemas.ts';
import type {
  SavedTaskDefinition,
  SavedTaskDefinitionResult,
  TaskDefinitionCheck,
  TaskDefinitionFormat,
  TaskDefinitionIssue,
  TaskDefinitionList,
} from '../contract/views/index.ts';
import type { TaskDefinition } from '../contract/task-definition.ts';
import { DatasetError } from '../datasets/errors.ts';
import { columnsOf, compileDeclarativeTask, parseTaskDefinition, previewDeclarativeTask, readTaskDefinition, TaskDefinitionError } from '../tasks/declarative/index.ts';
import { taskNames } from '../tasks/registry.ts';
import type { ApiContext } from './context.ts';
import { ApiError } from './errors.ts';

type Ctx = Pick<ApiContext, 'store'>;

const EXTENSIONS: Record<TaskDefinitionFormat, string> = { yaml: '.yaml', json: '.json' };
const FORMAT_OF: Record<string, TaskDefinitionFormat> = { '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json' };
const PREVIEW_ROWS = 5;

/** The workspace's folder of saved definitions (`tasks/` beside the database); null in memory. */
export function taskDefinitionsDir(ctx: Ctx): string | null {
  const dbFile = ctx.store.file;
  return dbFile === ':memory:' ? null : path.join(path.dirname(path.resolve(dbFile)), 'tasks');
}

export async function previewTaskDefinition(ctx: Ctx, input: ParsedInput<'previewTaskDefinition'>): Promise<TaskDefinitionCheck> {
  const baseDir = input.baseDir ? path.resolve(input.baseDir) : (taskDefinitionsDir(ctx) ?? process.cwd());
  return checkDefinitionText(input.text, input.format, baseDir);
}

export async function saveTaskDefinition(ctx: Ctx, input: ParsedInput<'saveTaskDefinition'>): Promise<SavedTaskDefinitionResult> {
  const dir = taskDefinitionsDir(ctx);
  if (dir === null) throw new ApiError('conflict', 'an in-memory workspace has no folder to save task definitions in; open a workspace database');
  const checked = await checkDefinitionText(input.text, input.format, dir);
  if (!checked.ok) return checked;
  const file = path.join(dir, `${input.name}${EXTENSIONS[input.format]}`);
  const existing = savedFilesNamed(dir, input.name);
  if (existing.length > 0 && !input.overwrite) {
    throw new ApiError('conflict', `a task definition named "${input.name}" is already saved (${existing.join(', ')}); save with overwrite to replace it`);
  }
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${input.name}.${process.pid}.tmp`);
  writeFileSync(temp, input.text.endsWith('\n') ? input.text : `${input.text}\n`, 'utf8');
  renameSync(temp, file);
  // One file per name: a replaced definition saved in the other format goes.
  for (const other of existing) if (other !== file) rmSync(other, { force: true });
  return { ok: true, name: input.name, file, format: input.format };
}

export async function listTaskDefinitions(ctx: Ctx): Promise<TaskDefinitionList> {
  const dir = taskDefinitionsDir(ctx);
  if (dir === null || !existsSync(dir)) return { dir, tasks: [] };
  const tasks: SavedTaskDefinition[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const format = FORMAT_OF[path.extname(entry.name).toLowerCase()];
    if (!entry.isFile() || !format || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name);
    tasks.push(await savedDefinition(file, format));
  }
  tasks.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  return { dir, tasks };
}

async function savedDefinition(file: string, format: TaskDefinitionFormat): Promise<SavedTaskDefinition> {
  const name = path.basename(file, path.extname(file));
  const modifiedAt = statSync(file).mtimeMs;
  const base = { name, file, format, modifiedAt };
  try {
    const { definition, baseDir } = await readTaskDefinition(file);
    const datasetFile = path.resolve(baseDir, definition.dataset.file);
    const problem = existsSync(datasetFile) ? null : `the dataset file ${datasetFile} is not there any more`;
    return { ...base, taskName: definition.name, description: definition.description, datasetFile, problem };
  } catch (error) {
    const problem = error instanceof TaskDefinitionError ? error.message : error instanceof Error ? error.message : String(error);
    return { ...base, taskName: null, description: '', datasetFile: null, problem };
  }
}

function savedFilesNamed(dir: string, name: string): string[] {
  return Object.keys(FORMAT_OF)
    .map((ext) => path.join(dir, `${name}${ext}`))
    .filter((file) => existsSync(file));
}

/** The definition text checked through to its dataset and first prompt. */
async function checkDefinitionText(text: string, format: TaskDefinitionFormat, baseDir: string): Promise<TaskDefinitionCheck> {
  let definition: TaskDefinition;
  try {
    definition = parseTaskDefinition(text, `task.${format}`, format);
  } catch (error) {
    if (!(error instanceof TaskDefinitionError)) throw error;
    return { ok: false, issues: error.issues.map((i) => ({ path: i.path, message: i.message, ...(i.line !== undefined ? { line: i.line } : {}), ...(i.column !== undefined ? { column: i.column } : {}) })) };
  }
  const at = (segments: PropertyKey[], message: string, extra: Partial<TaskDefinitionIssue> = {}): TaskDefinitionIssue => ({
    path: formatSegments(segments),
    message,
    ...lineOf(text, segments),
    ...extra,
  });
  if (taskNames().includes(definition.name)) {
    return { ok: false, issues: [at(['name'], `"${definition.name}" is a built-in task's name; give your task another name`)] };
  }
  const corpus = definition.retriever?.corpus;
  if (corpus !== undefined && !existsSync(path.resolve(baseDir, corpus))) {
    return { ok: false, issues: [at(['retriever', 'corpus'], `${path.resolve(baseDir, corpus)}: file not found; check the path (relative paths are against ${baseDir})`)] };
  }
  const task = compileDeclarativeTask(definition, baseDir);
  try {
    const preview = await previewDeclarativeTask(task, { rows: PREVIEW_ROWS });
    return {
      ok: true,
      definition,
      preview: {
        file: preview.file,
        total: preview.total,
        rows: preview.examples.map((e) => ({ id: e.id, inputs: { ...e.inputs }, labels: { ...e.labels } })),
        stages: preview.stages,
        prompt: preview.prompt,
      },
    };
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    const segments = datasetSegments(definition, error);
    const dataset = { file: error.file, ...(error.line !== undefined ? { line: error.line } : {}), ...(error.column !== undefined ? { column: error.column } : {}) };
    const hint = path.isAbsolute(definition.dataset.file) ? '' : ` (relative paths are against ${baseDir})`;
    return { ok: false, issues: [at(segments, `${error.message}${/not found/.test(error.message) ? hint : ''}`, { dataset })] };
  }
}

/** The definition field a dataset problem is about: a mapped column's entry, else the file. */
function datasetSegments(definition: TaskDefinition, error: DatasetError): PropertyKey[] {
  const mapped = columnsOf(definition).filter((c) => c.field in definition.dataset.columns);
  const hit = mapped.find((c) => (error.field !== undefined ? c.column === error.field : error.message.includes(`"${c.column}" (for field "${c.field}")`)));
  if (hit) return ['dataset', 'columns', hit.field];
  if (definition.dataset.idColumn !== undefined && (error.field === definition.dataset.idColumn || error.message.includes('(the id column)'))) return ['dataset', 'idColumn'];
  return ['dataset', 'file'];
}

function formatSegments(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

/** The 1-based line and column where the field at `segments` (or its nearest parent) sits in the text. */
function lineOf(text: string, segments: readonly PropertyKey[]): { line?: number; column?: number } {
  const lineCounter = new LineCounter();
  let node: unknown;
  try {
    node = parseDocument(text, { lineCounter }).contents;
  } catch {
    return {};
  }
  let found: unknown = node;
  for (const segment of segments) {
    let child: unknown;
    if (isSeq(found) && typeof segment === 'number') child = found.items[segment];
    else if (isMap(found)) {
      const pair = found.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      child = pair ? (pair.value ?? pair.key) : undefined;
    }
    if (child === undefined || child === null) break;
    found = child;
  }
  const range = (found as { range?: [number, number, number] } | null)?.range;
  if (!range) return {};
  const { line, col } = lineCounter.linePos(range[0]);
  return { line, column: col };
}
