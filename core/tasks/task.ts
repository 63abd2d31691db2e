// A task bundles a dataset (with the paper's splits), the program that solves it and its metric.

import type { Metric } from '../evaluate/metric.ts';
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
  createProgram(): Module;
  load(options: TaskLoadOptions): Promise<TaskSplits>;
}
