// A task bundles a dataset (with the paper's splits), the program that solves it and its metric.

import type { IntermediateCheck } from '../evaluate/intermediate-check.ts';
import type { Metric } from '../evaluate/metric.ts';
import type { CheckInfo } from '../contract/views/results.ts';
import type { Passage } from '../datasets/passage-corpus.ts';
import type { Example } from '../program/example.ts';
import type { Module } from '../program/module.ts';

export interface TaskSplits {
  train: Example[];
  dev: Example[];
  test: Example[];
  /** What a user should know about the splits (e.g. scaled down for lack of data); the runner shows them as warnings. */
  warnings?: string[];
}

/** A task whose program retrieves: what its Retrieve modules search unless the experiment names another retriever. */
export interface TaskRetrieval {
  /** The workspace index searched by default, for the bundled data (null) or a dataset path. */
  defaultIndex(dataPath: string | null): string;
  /** The passages of that index, for building it on first use. */
  corpus(dataPath: string | null): Promise<Passage[]>;
  /** What the default index holds, in words. */
  describe(dataPath: string | null): string;
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
  /** Present when the task's program retrieves. */
  readonly retrieval?: TaskRetrieval;
  createProgram(): Module;
  load(options: TaskLoadOptions): Promise<TaskSplits>;
}

/** A task's checks as result tables describe them (without their functions). */
export function checkInfoOf(task: Task): CheckInfo[] {
  return (task.checks ?? []).map(({ name, label, module, description }) => ({ name, label, module, description }));
}
