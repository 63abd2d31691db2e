// A run's task is a built-in one (by name) or a researcher's own, from a file: a TypeScript or
// JavaScript task file, or a no-code definition (JSON or YAML). This says which a task argument
// is, for every front end, and what the spec keeps of a task from a file.

import type { CheckInfo } from './views/results.ts';

/** Extensions of task files: code, and no-code definitions (with the format each is read as). */
export const CODE_TASK_FILE = /\.(ts|mts|js|mjs)$/i;
export const DEFINITION_FORMATS: Readonly<Record<string, 'json' | 'yaml'>> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };
export const DEFINITION_TASK_FILE = new RegExp(`(${Object.keys(DEFINITION_FORMATS).map((e) => `\\${e}`).join('|')})$`, 'i');

/** Whether a task argument names a file (a path, or a file name with a task file's extension) rather than a built-in task. */
export function looksLikeTaskFile(task: string): boolean {
  return /[\\/]/.test(task) || CODE_TASK_FILE.test(task) || DEFINITION_TASK_FILE.test(task);
}

/** Where a run's task came from when it is not built in; saved with the spec, so resume and reports find it. */
export type TaskSource =
  | {
      kind: 'module';
      /** Absolute path of the task file; a resumed run loads it again and checks its hash. */
      file: string;
      sha256: string;
      /** The task's intermediate checks, for results read back without loading the file. */
      checks: CheckInfo[];
    }
  | {
      kind: 'definition';
      /** The definition file it was read from (absolute), if any. */
      file: string | null;
      /** The folder its dataset path is relative to. */
      baseDir: string;
      /** The parsed definition itself: a resumed run compiles it again, the file is not needed. */
      definition: unknown;
      checks: CheckInfo[];
    };
