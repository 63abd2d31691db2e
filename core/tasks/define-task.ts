// defineTask: how a researcher's own task becomes a Task. A task file (`tandem run ./my-task.ts`)
// default-exports what this returns. The definition names the program (a function making a fresh
// Module), the metric (a Metric or a plain function), and the data: either `examples` (all of
// them; split seeded into train/dev/test, thirds by default) or a full `load` for tasks that
// split their own way. Everything is checked here, so a mistake reads as one clear message.

import type { IntermediateCheck } from '../evaluate/intermediate-check.ts';
import type { Metric } from '../evaluate/metric.ts';
import type { Example, Prediction } from '../program/example.ts';
import { Module } from '../program/module.ts';
import type { ProgramTrace } from '../program/trace.ts';
import { deriveSeed, Rng } from '../util/random.ts';
import { shuffleSplit, thirds, type SplitSizes } from './split.ts';
import type { PromptOptProtocol, Task, TaskLoadOptions, TaskRetrieval, TaskSplits } from './task.ts';

/** A metric as a plain function: the example (with its gold labels), the program's prediction and its trace → a score in [0, 1]. */
export type MetricFunction = (example: Example, prediction: Prediction, trace?: ProgramTrace) => number;

export interface TaskDefinition {
  /** Lower-case name, e.g. `support-triage`; shown in runs and reports. */
  name: string;
  description: string;
  /** A fresh program for each run (its predictors are what Π and Θ optimize). */
  program: () => Module;
  metric: Metric | MetricFunction;
  /** Every example; Tandem splits them seeded (default: thirds) unless `load` is given. */
  examples?: () => Example[] | Promise<Example[]>;
  /** Split sizes for `examples` (default: equal thirds). */
  splits?: SplitSizes;
  /** The whole load step, for tasks with their own splits (given the run's seed and `--data` path). */
  load?: (options: TaskLoadOptions) => TaskSplits | Promise<TaskSplits>;
  /** Π's subsample of the train split (demo pool / validation). Default 15 / 35, clamped to the train split. */
  protocol?: PromptOptProtocol;
  checks?: readonly IntermediateCheck[];
  retrieval?: TaskRetrieval;
}

export class TaskDefinitionError extends Error {
  override name = 'TaskDefinitionError';
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const DEFAULT_PROTOCOL: PromptOptProtocol = { train: 15, val: 35 };

/** Marks tasks made by defineTask, so a task file's default export can be told apart from anything else. */
export const DEFINED_TASK = Symbol.for('tandem.definedTask');

export function defineTask(definition: TaskDefinition): Task {
  const problem = (message: string) => new TaskDefinitionError(`task "${String(definition?.name)}": ${message}`);
  if (typeof definition !== 'object' || definition === null) throw new TaskDefinitionError('defineTask needs an object: { name, description, program, metric, examples | load }');
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) throw problem('name must be lower case letters, digits, ".", "_" or "-"');
  if (typeof definition.description !== 'string' || definition.description.trim() === '') throw problem('description must be a non-empty string');
  if (typeof definition.program !== 'function') throw problem('program must be a function returning a fresh Module');
  if ((definition.examples === undefined) === (definition.load === undefined)) throw problem('give exactly one of examples (Tandem splits them) or load (your own splits)');
  const metric = toMetric(definition.metric, definition.name);
  if (!metric) throw problem('metric must be a function (example, prediction, trace) => number in [0, 1], or an object with name and score()');
  const { program, examples, load, splits } = definition;
  const task: Task & { [DEFINED_TASK]: true } = {
    [DEFINED_TASK]: true,
    name: definition.name,
    description: definition.description,
    metric,
    protocol: definition.protocol ?? DEFAULT_PROTOCOL,
    ...(definition.checks ? { checks: definition.checks } : {}),
    ...(definition.retrieval ? { retrieval: definition.retrieval } : {}),
    createProgram() {
      const made = program();
      if (!(made instanceof Module)) throw problem('program() must return a Module (a class extending Module from "tandem")');
      return made;
    },
    async load(options) {
      if (load) return load(options);
      const all = await examples!();
      if (!Array.isArray(all) || all.length < 3) throw problem(`examples() must return at least 3 examples, got ${Array.isArray(all) ? all.length : typeof all}`);
      const rng = new Rng(deriveSeed(options.seed, definition.name, 'split'));
      return shuffleSplit(all, splits ?? thirds(all.length), rng);
    },
  };
  return task;
}

export function isDefinedTask(value: unknown): value is Task {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINED_TASK] === true;
}

function toMetric(metric: Metric | MetricFunction | undefined, taskName: string): Metric | null {
  if (typeof metric === 'function') return { name: metric.name && metric.name !== 'metric' ? metric.name : `${taskName} metric`, score: metric };
  if (typeof metric === 'object' && metric !== null && typeof metric.score === 'function' && typeof metric.name === 'string') return metric;
  return null;
}
