// Runs an input through its zod schema and turns every problem into one line that names the field
// path and says what is wrong (`seeds: must be ≥ 1`), collected into an ApiError('invalid-input').

import type { z } from 'zod';
import { describeIssues, issuesOf } from '../contract/input-issues.ts';
import { ApiError } from './errors.ts';

/** The ApiError for a failed parse: every issue, the first few in the message. */
export function validationError(error: z.ZodError): ApiError {
  const issues = issuesOf(error);
  return new ApiError('invalid-input', describeIssues(issues), { issues });
}

/** Parses `input` with `schema`, or throws ApiError('invalid-input'). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw validationError(result.error);
  return result.data;
}
