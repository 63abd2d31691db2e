// The API's side of the one spec path: a createExperiment input, already parsed by its schema,
// goes through the spec builder every front end uses (core/runner/spec-builder.ts); its problems
// become an ApiError('invalid-input') naming the field. Also reads a spec back from an
// experiment's or run's saved config.

import type { ExperimentInput } from '../contract/experiment-input.ts';
import type { ExperimentSpec } from '../runner/experiment-spec.ts';
import { SPEC_VERSION } from '../runner/run-experiment.ts';
import { buildExperimentSpec, ExperimentInputError, type SpecContext } from '../runner/spec-builder.ts';
import type { JsonObject } from '../store/index.ts';
import { ApiError } from './errors.ts';

export type { SpecContext };
export type Env = SpecContext['env'];

export function buildSpec(input: ExperimentInput, context: SpecContext): ExperimentSpec {
  try {
    return buildExperimentSpec(input, context);
  } catch (error) {
    if (error instanceof ExperimentInputError) throw new ApiError('invalid-input', error.message, { issues: error.issues, cause: error });
    throw error;
  }
}

/** The config an experiment or run is saved with. */
export function specConfig(spec: ExperimentSpec): JsonObject {
  return { specVersion: SPEC_VERSION, ...spec };
}

/** The spec in a saved config, or null when this version of the runner did not write it. */
export function specFromConfig(config: JsonObject): ExperimentSpec | null {
  const c = config as Partial<ExperimentSpec> & { specVersion?: unknown };
  if (c.specVersion !== SPEC_VERSION || typeof c.task !== 'string' || !Array.isArray(c.strategies) || !Array.isArray(c.seeds) || !c.lm) return null;
  const { specVersion: _version, ...spec } = c;
  return spec as ExperimentSpec;
}
