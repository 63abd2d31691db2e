// Errors of web mode. `WebServerError` is what startWebServer throws when it cannot start (a host
// other than 127.0.0.1, a port in use, a bad token); `WebErrorCode` adds the transport's own codes
// to the API's (an HTTP error body is always `{ code, message, issues? }`); `statusForApiError`
// maps an ApiError's code to its HTTP status.

import type { ApiErrorCode, ApiErrorJson } from '../contract/errors.ts';

export class WebServerError extends Error {
  override name = 'WebServerError';
}

/** Codes only the HTTP transport answers with (the request never reached the API). */
export type TransportErrorCode = 'unauthorized' | 'forbidden' | 'method-not-allowed' | 'payload-too-large' | 'request-timeout' | 'unsupported-media-type';

export type WebErrorCode = ApiErrorCode | TransportErrorCode;

export interface WebErrorJson extends Omit<ApiErrorJson, 'code'> {
  code: WebErrorCode;
}

const STATUS: Record<ApiErrorCode, number> = {
  'invalid-input': 400,
  config: 400,
  'not-found': 404,
  conflict: 409,
  cancelled: 409,
  database: 500,
  internal: 500,
};

export function statusForApiError(code: ApiErrorCode): number {
  return STATUS[code] ?? 500;
}
