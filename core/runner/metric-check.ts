// Before a run writes anything, its metric is tried once: on the first training example, scoring
// the example's own gold labels as the prediction. A metric that throws or returns something that
// is not a number in [0, 1] (a bug in a researcher's task file, typically) stops the run here, in
// one line naming the task file's line where the stack shows it, instead of zeroing every example.

import type { Example, Prediction } from '../program/example.ts';
import type { Task, TaskSplits } from '../tasks/task.ts';
import { lineInFile } from './task-file.ts';

export class MetricCheckError extends Error {
  override name = 'MetricCheckError';
}

export function checkMetric(task: Task, splits: TaskSplits, file: string | null): void {
  const first = splits.train[0] ?? splits.dev[0] ?? splits.test[0];
  if (!first) return;
  let score: unknown;
  try {
    score = task.metric.score(first, goldAsPrediction(first));
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    throw new MetricCheckError(`${where(err, file)}task "${task.name}": the metric (${task.metric.name}) threw on example ${first.id} (its gold labels as the prediction): ${err.message}`);
  }
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1) {
    throw new MetricCheckError(`${file ? `${file}: ` : ''}task "${task.name}": the metric (${task.metric.name}) returned ${JSON.stringify(score)} on example ${first.id}; a score is a number in [0, 1]`);
  }
}

function goldAsPrediction(example: Example): Prediction {
  const prediction: Record<string, string> = {};
  for (const [field, value] of Object.entries(example.labels)) prediction[field] = Array.isArray(value) ? value.join(', ') : String(value ?? '');
  return prediction;
}

/** `file:line: ` of the first stack frame in the task file, or `file: `, or nothing for built-in tasks. */
function where(error: Error, file: string | null): string {
  if (!file) return '';
  const line = lineInFile(error.stack ?? '', file);
  return line ? `${file}:${line}: ` : `${file}: `;
}
