// The step kinds Tandem ships with, one line each. A new optimizer step is a file beside these
// (a `StepKind`) and a line here; the registry loads this list, so every importer sees them.

import type { StepKind } from './step-kind.ts';
import { promptStep } from './prompt-step.ts';
import { weightStep } from './weight-step.ts';

export const BUILTIN_STEP_KINDS: readonly StepKind[] = [
  promptStep, // p: Π, bootstrap few-shot with random search
  weightStep, // w: Θ, bootstrap fine-tuning
];
