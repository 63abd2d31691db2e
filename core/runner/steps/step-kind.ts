// What a step kind is: the strategy token it answers to, what front ends show for it, and how it
// takes a program from its parent stage's state to this stage's state. The seed runner creates
// the stage, hands the step its inputs, then evaluates and saves whatever program the step
// returns; a step only optimizes (and records what it needs to resume: candidates, jobs).

import type { StepInfo } from '../../contract/strategy.ts';
import type { Finetuner, LoraHyperparams } from '../../finetune/finetuner.ts';
import type { OptimizerContext } from '../../optimize/optimizer-context.ts';
import type { RandomSearchOptions } from '../../optimize/random-search.ts';
import type { Example } from '../../program/example.ts';
import type { LMBinding } from '../../lm/lm-binding.ts';
import type { Module } from '../../program/module.ts';
import type { Store } from '../../store/index.ts';
import type { Task } from '../../tasks/task.ts';
import type { RunEvent } from '../events.ts';

/** The run's settings that optimizer steps draw on (from the experiment spec). */
export interface StepSettings {
  randomSearch: Omit<RandomSearchOptions, 'seed' | 'teacher'>;
  hyperparams: LoraHyperparams;
  /** Where fine-tuning steps write their data and adapters. */
  workDir: string;
  /** Weight steps train one adapter per module instead of pooling modules that share an LM. */
  finetunePerModule?: boolean;
}

export interface StepInput {
  /** The parent stage's program (a fresh program for a first step); the step may return it as is. */
  program: Module;
  task: Task;
  /** The seed's train split. */
  train: readonly Example[];
  runId: number;
  stageId: number;
  /** The seed whose tree this stage belongs to. */
  seed: number;
  /** The step's own seed: derived from the seed and the prefix, so stages shared by strategies agree. */
  stepSeed: number;
  /** The stage's canonical prefix, e.g. `p -> w`. */
  prefix: string;
  /** LM environment, metric, concurrency and trace recording for the stage. */
  ctx: OptimizerContext;
  store: Store;
  defaultBinding: LMBinding;
  settings: StepSettings;
  /** The run's fine-tuning backend; always given to a step whose info says it needs one. */
  finetuner: Finetuner | undefined;
  /** Reports progress and warnings to the run's listeners. */
  emit: (event: RunEvent) => void;
}

export interface StepResult {
  program: Module;
  /** A noteworthy way the step ended, saved with the stage (e.g. 'no-passing-traces'). */
  outcome?: string;
}

export interface StepKind {
  info: StepInfo;
  run(input: StepInput): Promise<StepResult>;
}
