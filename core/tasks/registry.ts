// The tasks Tandem knows by name.

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

/** The task registered under `name` (case-insensitive); throws UnknownTaskError otherwise. */
export function getTask(name: string): Task {
  const task = TASKS.get(name.trim().toLowerCase());
  if (!task) throw new UnknownTaskError(name, taskNames());
  return task;
}

/** Every registered task, sorted by name. */
export function listTasks(): Task[] {
  return [...TASKS.values()];
}

/** Names of the registered tasks, sorted. */
export function taskNames(): string[] {
  return [...TASKS.keys()];
}
