// No-code tasks: a JSON or YAML definition file (core/contract/task-definition.ts) read, checked
// and compiled into a Task. `loadDeclarativeTask` is the one entry for a file;
// `compileDeclarativeTask` rebuilds a task from a definition a run's spec carries.

import { compileDeclarativeTask, type DeclarativeTask } from './compile.ts';
import { readTaskDefinition } from './read-definition.ts';

export { compileDeclarativeTask, DeclarativeTask } from './compile.ts';
export { columnsOf, loadDefinitionExamples } from './dataset.ts';
export { DeclarativeProgram } from './program.ts';
export { previewDeclarativeTask, type DeclarativePreview, type PreviewOptions } from './preview.ts';
export { TaskDefinitionError, type DefinitionIssue } from './errors.ts';
export { DEFINITION_EXTENSIONS, isDefinitionFile, parseTaskDefinition, readTaskDefinition, type ReadTaskDefinition } from './read-definition.ts';

/** Reads, validates and compiles a task definition file; relative paths in it are against its folder. */
export async function loadDeclarativeTask(file: string): Promise<DeclarativeTask> {
  const { definition, baseDir } = await readTaskDefinition(file);
  return compileDeclarativeTask(definition, baseDir);
}
