// A researcher's task file: `tandem run ./my-task.ts` (or .js / .mjs) imports the file, whose
// default export is a task made with defineTask from 'tandem' (core/public). The specifier
// 'tandem' resolves to Tandem's public entry wherever the file lives, through a module resolve
// hook registered once per process. The file's SHA-256 travels in the run's spec: a resumed run
// loads the same file and refuses it if it changed. Problems are one line naming file and line.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CODE_TASK_FILE, type TaskSource } from '../contract/task-source.ts';
import { isDefinedTask } from '../tasks/define-task.ts';
import { registerLoadedTask, taskNames } from '../tasks/registry.ts';
import { checkInfoOf, type Task } from '../tasks/task.ts';

export type ModuleTaskSource = Extract<TaskSource, { kind: 'module' }>;

export class TaskFileError extends Error {
  override name = 'TaskFileError';
}

const PUBLIC_ENTRY = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'index.ts')).href;

// Resolves 'tandem' (and only it) to the public entry, and loads a task file, and the files it
// imports by relative path, as ES modules (TypeScript outside a "type": "module" package would
// otherwise compile to CommonJS, where neither 'tandem' nor import order work the same). The
// task file's URL carries a marker query; its relative imports inherit it.
const HOOKS = `
let entry;
const MARK = 'tandem-task';
export function initialize(data) { entry = data.entry; }
export async function resolve(specifier, context, next) {
  if (specifier === 'tandem') return next(entry, context);
  const parent = context.parentURL ? new URL(context.parentURL) : null;
  if (!parent || !parent.searchParams.has(MARK) || !specifier.startsWith('.')) return next(specifier, context);
  // A task file's own relative import: resolved as if imported from an ES module (the public
  // entry), so the loader does not treat it as CommonJS, and marked to load as an ES module too.
  const base = new URL(parent.href);
  base.search = '';
  const target = new URL(specifier, base);
  const resolved = await next(target.href, { ...context, parentURL: entry });
  if (!resolved.url.startsWith('file:')) return resolved;
  const url = new URL(resolved.url);
  url.searchParams.set(MARK, parent.searchParams.get(MARK));
  return { ...resolved, url: url.href };
}
export async function load(url, context, next) {
  if (url.startsWith('file:') && new URL(url).searchParams.has(MARK) && !/\\.(json|cjs|cts)$/i.test(new URL(url).pathname)) {
    return next(url, { ...context, format: 'module' });
  }
  return next(url, context);
}`;

let hookRegistered = false;

function registerResolveHook(): void {
  if (hookRegistered) return;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { entry: PUBLIC_ENTRY } });
  hookRegistered = true;
}

/** Imports a task file, checks its default export and registers its task; `expectedSha256` (a resumed run's) must match the file. */
export async function loadTaskFile(given: string, expectedSha256?: string): Promise<{ task: Task; source: ModuleTaskSource }> {
  const file = path.resolve(given);
  if (!existsSync(file) || !statSync(file).isFile()) throw new TaskFileError(`${file}: no such task file`);
  if (!CODE_TASK_FILE.test(file)) throw new TaskFileError(`${file}: a task file is TypeScript or JavaScript (.ts, .mts, .js, .mjs)`);
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw new TaskFileError(`${file}: the task file changed since the run started (SHA-256 ${sha256.slice(0, 12)}…, was ${expectedSha256.slice(0, 12)}…); restore it, or start a new run`);
  }
  registerResolveHook();
  let loaded: { default?: unknown };
  try {
    // The hash in the URL loads a changed file afresh within one process.
    loaded = (await import(`${pathToFileURL(file).href}?tandem-task=${sha256}`)) as { default?: unknown };
  } catch (error) {
    throw new TaskFileError(describeLoadError(file, error));
  }
  const task = loaded.default;
  if (!isDefinedTask(task)) {
    const found = task === undefined ? 'no default export' : `a default export of type ${typeof task}`;
    throw new TaskFileError(`${file}: the default export must be a task made with defineTask() from 'tandem' (found ${found})`);
  }
  registerTaskFrom(task, file);
  return { task, source: { kind: 'module', file, sha256, checks: checkInfoOf(task) } };
}

/** Registers a task read from `file` (code or a definition) under its name, which must not be a built-in task's. */
export function registerTaskFrom<T extends Task>(task: T, file: string): T {
  if (taskNames().includes(task.name)) throw new TaskFileError(`${file}: "${task.name}" is a built-in task's name; give your task another name`);
  registerLoadedTask(task, file);
  return task;
}

/** The line of `file` a message or stack points at (`file:12` or `file?query:12:3`), or null. */
export function lineInFile(text: string, file: string): string | null {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}(?:\\?[^:\\s)]*)?:(\\d+)`).exec(text)?.[1] ?? null;
}

/** One line: the file and line where loading failed (a syntax error, a failed import, a throw at the top level), and why. */
export function describeLoadError(file: string, error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const line = lineInFile(`${err.message}\n${err.stack ?? ''}`, file);
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const message = firstLine(err.message.replace(/^Transform failed with \d+ errors?:\s*/i, '').replace(new RegExp(`${escaped}:\\d+:\\d+:\\s*`, 'g'), '').replace(/^ERROR:\s*/, ''));
  return line ? `${file}:${line}: ${message}` : `${file}: ${message}`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
