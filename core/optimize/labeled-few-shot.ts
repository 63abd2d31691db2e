// Labeled few-shot: every predictor gets k training examples as demos, sampled with a seed.

import type { Demo } from '../program/demo.ts';
import { exampleFields, type Example } from '../program/example.ts';
import type { Module } from '../program/module.ts';
import { Rng } from '../util/random.ts';

export function labeledDemo(example: Example): Demo {
  return { fields: exampleFields(example), augmented: false, exampleId: example.id };
}

export function labeledFewShot<T extends Module>(program: T, trainset: readonly Example[], k: number, seed: number): T {
  const compiled = program.clone();
  const chosen = new Rng(seed).sample(trainset, k);
  for (const predictor of compiled.predictors()) predictor.demos = chosen.map(labeledDemo);
  return compiled;
}
