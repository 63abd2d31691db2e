// The shapes the API returns and front ends read: runs, stages and results, experiments,
// comparisons, traces and LM calls, example results, candidates, fine-tune jobs, and the program
// data inside them. Plain types, no runtime code.

export type * from './program.ts';
export type * from './spec.ts';
export type * from './results.ts';
export type * from './runs.ts';
export type * from './experiments.ts';
export type * from './comparison.ts';
export type * from './traces.ts';
export type * from './lm-calls.ts';
export type * from './example-results.ts';
export type * from './candidates.ts';
export type * from './finetune.ts';
export type * from './retrievers.ts';
export type * from './task-definitions.ts';
export type * from './bundles.ts';
