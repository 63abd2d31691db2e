// A task bundles a dataset (with the paper's splits), the program that solves it and its metric.

import type { IntermediateCheck } from '../evaluate/intermediate-check.ts';
import type { Metric } from '../evaluate/metric.ts';
import type { CheckInfo } from '../contract/views/results.ts';
import type { Example } from '../program/example.ts';
import type { Module } from '../program/module.ts';

export interface TaskSplits {
  train: Example[];
  dev: Example[];
  test: Example[];
}

/** Subsample sizes the paper's prompt optimizer uses (train demos pool / validation). */
export interface PromptOptProtocol {
  train: number;
  val: number;
}

export interface TaskLoadOptions {
  /** Seed for the split shuffle. */
  seed: number;
  /** Override the bundled data with a file or folder (e.g. the full official GSM8K JSONL). */
  dataPath?: string;
}

export interface Task {
  readonly name: string;
  readonly description: string;
  readonly metric: Metric;
  readonly protocol: PromptOptProtocol;
  /** Checks of intermediate outputs against gold the dataset has for them (absent: none). */
  readonly checks?: readonly IntermediateCheck[];
  createProgram(): Module;
  load(options: TaskLoadOptions): Promise<TaskSplits>;
}

/** A task's checks as result tables describe them (without their functions). */
export function checkInfoOf(task: Task): CheckInfo[] {
  return (task.checks ?? []).map(({ name, label, module, description }) => ({ name, label, module, description }));
}
