// The task of an experiment: a built-in task by name, or a researcher's own from a file. Front
// ends give a file's path as the task; before a spec is built they `prepareTaskFile` it (loading
// is asynchronous, the spec builder is not), and the builder then finds the loaded task and the
// source to save with the spec. A run read back from the store loads its task from that source
// again (`taskForSpec`): the same file, checked by its hash.

import path from 'node:path';
import { CODE_TASK_FILE, looksLikeTaskFile, type TaskSource } from '../contract/task-source.ts';
import { getTask } from '../tasks/registry.ts';
import type { Task } from '../tasks/task.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import { loadTaskFile, TaskFileError } from './task-file.ts';

const PREPARED = new Map<string, { task: Task; source: TaskSource }>();

/** Loads the task file a task argument names (no-op for a built-in task's name). */
export async function prepareTaskFile(task: string): Promise<void> {
  if (!looksLikeTaskFile(task)) return;
  const file = path.resolve(task);
  if (!CODE_TASK_FILE.test(file)) throw new TaskFileError(`${file}: no-code task definitions (.json, .yaml) are not supported yet; give a .ts or .js task file`);
  PREPARED.set(file, await loadTaskFile(file));
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
  throw new TaskFileError(`task "${spec.task}" comes from a no-code definition, which this version of Tandem cannot load yet`);
}
