// What the workbench's form shows before a no-code task runs: the first examples as loaded
// (after the column mapping), how many there are, each stage's fields, and the prompt the first
// stage would send for the first example, rendered by the chat adapter a run uses. Fields only
// known at run time (retrieved passages, earlier stages' outputs) are shown as placeholders.

import type { StagePlan } from '../../contract/task-definition.ts';
import { planStages } from '../../contract/task-definition.ts';
import type { ChatMessage } from '../../contract/views/program.ts';
import { ChatAdapter } from '../../adapter/chat-adapter.ts';
import type { Example, FieldValue } from '../../program/example.ts';
import type { DeclarativeTask } from './compile.ts';
import { loadDefinitionExamples } from './dataset.ts';

export interface DeclarativePreview {
  /** The dataset file read. */
  file: string;
  /** How many examples it holds. */
  total: number;
  /** The first examples, in file order. */
  examples: Example[];
  stages: StagePlan[];
  /** The first stage's prompt for the first example. */
  prompt: ChatMessage[];
}

export interface PreviewOptions {
  /** How many examples to return (default 5). */
  rows?: number;
  /** Another file of the same shape, as a run's data path. */
  dataPath?: string;
}

export async function previewDeclarativeTask(task: DeclarativeTask, options: PreviewOptions = {}): Promise<DeclarativePreview> {
  const file = task.datasetFile(options.dataPath);
  const examples = await loadDefinitionExamples(task.definition, file);
  const stages = planStages(task.definition).stages;
  const program = task.createProgram();
  const first = examples[0]!;
  const inputs: Record<string, FieldValue> = { ...first.inputs };
  for (const field of stages[0]!.inputs) {
    if (!(field.name in inputs)) inputs[field.name] = `(${field.name}: filled in at run time)`;
  }
  const prompt = new ChatAdapter().format(program.stages[0]!.signature, [], inputs);
  return { file, total: examples.length, examples: examples.slice(0, Math.max(0, options.rows ?? 5)), stages, prompt };
}
