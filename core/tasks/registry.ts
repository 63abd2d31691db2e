// The tasks Tandem knows by name: the built-in ones, and tasks loaded from files in this process
// (a researcher's task file or no-code definition, registered by the runner when it loads one).

import { gsm8kTask } from './gsm8k.ts';
import { hotpotqaTask } from './hotpotqa.ts';
import { irisTask } from './iris.ts';
import type { Task } from './task.ts';

const TASKS: ReadonlyMap<string, Task> = new Map<string, Task>(
  [gsm8kTask, hotpotqaTask, irisTask].sort((a, b) => a.name.localeCompare(b.name)).map((task) => [task.name, task]),
);

export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
  readonly requested: string;
  readonly available: string[];

  constructor(requested: string, available: string[]) {
    super(`unknown task "${requested}"; available tasks: ${available.join(', ')}`);
    this.requested = requested;
    this.available = available;
  }
}

/** Tasks loaded from files, by name, and by the file they came from. */
const LOADED = new Map<string, Task>();
const LOADED_FROM = new Map<string, Task>();

/** The task registered under `name` (case-insensitive), built in or loaded; throws UnknownTaskError otherwise. */
export function getTask(name: string): Task {
  const key = name.trim().toLowerCase();
  const task = TASKS.get(key) ?? LOADED.get(key);
  if (!task) throw new UnknownTaskError(name, taskNames());
  return task;
}

/** Registers a task loaded from `file` (an absolute path), so runs in this process find it by name. */
export function registerLoadedTask(task: Task, file: string): void {
  if (TASKS.has(task.name)) throw new Error(`"${task.name}" is a built-in task's name`);
  LOADED.set(task.name, task);
  LOADED_FROM.set(file, task);
}

/** The task loaded from `file` in this process, if any. */
export function loadedTaskFrom(file: string): Task | undefined {
  return LOADED_FROM.get(file);
}

/** Every registered task, sorted by name. */
export function listTasks(): Task[] {
  return [...TASKS.values()];
}

/** Names of the registered tasks, sorted. */
export function taskNames(): string[] {
  return [...TASKS.keys()];
}
