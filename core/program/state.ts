// Program state as versioned JSON: per predictor path, its signature (instructions and
// fields), demos (with the `augmented` flag) and LM binding. Loading checks the paths match
// the program so a state from another program is refused with a clear message. A binding's
// provider is written in its stored spelling (contract/providers.ts) and read in either.

import { providerFromStored, storedProviderName, type LMProvider } from '../contract/providers.ts';
import type { PredictorState, ProgramState, StoredBinding } from '../contract/views/program.ts';
import type { Module } from './module.ts';
import { Signature } from './signature.ts';

export const PROGRAM_STATE_VERSION = 1;

export class ProgramStateError extends Error {
  override name = 'ProgramStateError';
}

export function saveState(program: Module): ProgramState {
  const predictors: Record<string, PredictorState> = {};
  for (const [path, predictor] of program.namedPredictors()) {
    predictors[path] = {
      signature: predictor.signature.toSpec(),
      demos: predictor.demos.map((d) => ({ ...d, fields: { ...d.fields } })),
      lm: predictor.lm ? { ...predictor.lm, provider: storedProviderName(predictor.lm.provider) } : null,
    };
  }
  return { version: PROGRAM_STATE_VERSION, predictors };
}

/** Applies a saved state to a program in place (use on a clone to keep the original). */
export function loadState<T extends Module>(program: T, state: unknown): T {
  const checked = checkState(state);
  const named = program.namedPredictors();
  const expected = named.map(([path]) => path).sort();
  const given = Object.keys(checked.predictors).sort();
  if (expected.join('\n') !== given.join('\n')) {
    throw new ProgramStateError(
      `program state does not fit this program: it has predictors [${given.join(', ')}], the program has [${expected.join(', ')}]`,
    );
  }
  for (const [path, predictor] of named) {
    const saved = checked.predictors[path]!;
    predictor.signature = new Signature(saved.signature);
    predictor.demos = saved.demos.map((d) => ({ ...d, fields: { ...d.fields } }));
    predictor.lm = saved.lm ? { ...saved.lm, provider: providerOf(saved.lm, path) } : null;
  }
  return program;
}

function providerOf(binding: StoredBinding, path: string): LMProvider {
  const provider = providerFromStored(binding.provider);
  if (provider === undefined) throw new ProgramStateError(`program state binds predictor "${path}" to unknown LM provider "${binding.provider}"`);
  return provider;
}

function checkState(state: unknown): ProgramState {
  if (typeof state !== 'object' || state === null) throw new ProgramStateError('program state must be a JSON object');
  const s = state as Partial<ProgramState>;
  if (s.version !== PROGRAM_STATE_VERSION) {
    throw new ProgramStateError(`program state version ${String(s.version)} is not supported (expected ${PROGRAM_STATE_VERSION})`);
  }
  if (typeof s.predictors !== 'object' || s.predictors === null) {
    throw new ProgramStateError('program state has no "predictors" object');
  }
  for (const [path, p] of Object.entries(s.predictors)) {
    if (!p || !Array.isArray(p.demos) || typeof p.signature !== 'object') {
      throw new ProgramStateError(`program state for predictor "${path}" needs "signature" and "demos"`);
    }
  }
  return s as ProgramState;
}
