// The task of an experiment: a built-in task by name, or a researcher's own from a file. Front
// ends give a file's path as the task; before a spec is built they `prepareTaskFile` it (loading
// is asynchronous, the spec builder is not), and the builder then finds the loaded task and the
// source to save with the spec. A run read back from the store loads its task from that source
// again (`taskForSpec`): the same file, checked by its hash.

import path from 'node:path';
import { existsSync } from 'node:fs';
import { CODE_TASK_FILE, DEFINITION_TASK_FILE, looksLikeTaskFile, type TaskSource } from '../contract/task-source.ts';
import type { TaskDefinitionInput } from '../contract/task-definition.ts';
import { compileDeclarativeTask, loadDeclarativeTask, type DeclarativeTask } from '../tasks/declarative/index.ts';
import { getTask } from '../tasks/registry.ts';
import { checkInfoOf, type Task } from '../tasks/task.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import { loadTaskFile, registerTaskFrom, TaskFileError } from './task-file.ts';

const PREPARED = new Map<string, { task: Task; source: TaskSource }>();

/** Loads the task file a task argument names (no-op for a built-in task's name): code, or a no-code definition. */
export async function prepareTaskFile(task: string): Promise<void> {
  if (!looksLikeTaskFile(task)) return;
  const file = path.resolve(task);
  if (CODE_TASK_FILE.test(file)) {
    PREPARED.set(file, await loadTaskFile(file));
    return;
  }
  if (!DEFINITION_TASK_FILE.test(file)) throw new TaskFileError(`${file}: a task file is code (.ts, .mts, .js, .mjs) or a no-code definition (.json, .yaml, .yml)`);
  if (!existsSync(file)) throw new TaskFileError(`${file}: no such task file`);
  const compiled = registerTaskFrom(await loadDeclarativeTask(file), file);
  PREPARED.set(file, { task: compiled, source: definitionSource(compiled, file) });
}

/** The task a prepared task argument loaded, with the source to save. */
export function preparedTask(task: string): { task: Task; source: TaskSource } | undefined {
  return PREPARED.get(path.resolve(task));
}

/** The task a spec names: built in, or loaded again from its saved source. */
export async function taskForSpec(spec: Pick<ExperimentSpec, 'task' | 'taskSource'>): Promise<Task> {
  const source = spec.taskSource;
  if (!source) return getTask(spec.task);
  if (source.kind === 'module') return (await loadTaskFile(source.file, source.sha256)).task;
  // A definition travels whole in the spec: the file it was read from is not needed again.
  return registerTaskFrom(compileDeclarativeTask(source.definition as TaskDefinitionInput, source.baseDir), source.file ?? `definition:${spec.task}`);
}

function definitionSource(task: DeclarativeTask, file: string): TaskSource {
  return { kind: 'definition', file, baseDir: task.baseDir, definition: task.definition, checks: checkInfoOf(task) };
}
