// The API's side of the one spec path: a createExperiment input, already parsed by its schema,
// goes through the spec builder every front end uses (core/runner/spec-builder.ts); its problems
// become an ApiError('invalid-input') naming the field. Also reads a spec back from an
// experiment's or run's saved config.

import type { ExperimentInput } from '../contract/experiment-input.ts';
import type { ExperimentSpec } from '../runner/experiment-spec.ts';
import { buildExperimentSpec, ExperimentInputError, type SpecContext } from '../runner/spec-builder.ts';
import { ApiError } from './errors.ts';

export type Env = SpecContext['env'];

export function buildSpec(input: ExperimentInput, context: SpecContext): ExperimentSpec {
  try {
    return buildExperimentSpec(input, context);
  } catch (error) {
    if (error instanceof ExperimentInputError) throw new ApiError('invalid-input', error.message, { issues: error.issues, cause: error });
    throw error;
  }
}
