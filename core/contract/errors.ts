// How an API failure looks on the wire (IPC, HTTP): a code a front end can react to without
// matching text, the message, and for bad input one issue per field.

export const API_ERROR_CODES = [
  /** The input failed validation; the message names the field path and the problem. */
  'invalid-input',
  /** The experiment, run, stage, trace, … does not exist. */
  'not-found',
  /** The request clashes with the current state: a run already active, an experiment with a running run, … */
  'conflict',
  /** The database cannot be used (not a Tandem database, newer schema, cannot be opened). */
  'database',
  /** The LM or model library configuration cannot work (no API key, unknown model, …). */
  'config',
  /** The operation was cancelled. */
  'cancelled',
  /** Anything else: a bug or an environment failure; the message says what happened. */
  'internal',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiIssue {
  /** Dotted path of the offending field, e.g. `lm.model` or `strategies[1]`; '' for the input itself. */
  path: string;
  message: string;
}

/** What transports send over the wire. */
export interface ApiErrorJson {
  code: ApiErrorCode;
  message: string;
  /** For `invalid-input`: every problem found, one per field. */
  issues?: ApiIssue[];
}
