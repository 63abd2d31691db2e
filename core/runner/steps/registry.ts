// The step registry: which strategy tokens name an optimizer step, and how each runs. The seed
// runner, the spec check and the front ends (through the API's step list) ask it; nothing else
// knows the tokens. The built-in kinds are registered when this module loads; tests and
// extensions may register more before a run.

import type { StepInfo } from '../../contract/strategy.ts';
import { BUILTIN_STEP_KINDS } from './builtin.ts';
import type { StepKind } from './step-kind.ts';

export class StepKindError extends Error {
  override name = 'StepKindError';
}

const kinds = new Map<string, StepKind>();

export function registerStepKind(kind: StepKind): void {
  const { token } = kind.info;
  if (kinds.has(token)) throw new StepKindError(`a step kind with token "${token}" is already registered (${kinds.get(token)!.info.name})`);
  kinds.set(token, kind);
}

/** The step kind a token names; a clear error for a token no kind registered. */
export function stepKind(token: string): StepKind {
  const kind = kinds.get(token);
  if (!kind) throw new StepKindError(`no optimizer is registered for strategy token "${token}"; registered tokens: ${[...kinds.keys()].map((t) => `"${t}"`).join(', ')}`);
  return kind;
}

/** What front ends show about every registered step kind, in registration order. */
export function stepKinds(): StepInfo[] {
  return [...kinds.values()].map((k) => ({ ...k.info }));
}

export function knownStepTokens(): string[] {
  return [...kinds.keys()];
}

for (const kind of BUILTIN_STEP_KINDS) registerStepKind(kind);
