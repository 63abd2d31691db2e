// The API host's side of a port: answers every call with a response (never a crash: an unknown
// method is 'not-found', a bad input 'invalid-input', anything else the ApiError it became) and
// forwards the API's event stream. Method names are checked against the API's own list before
// anything is called, and inputs go through api.callMethod, which validates them with zod.

import { ApiError, toApiError, type Api } from '../core/api/index.ts';
import { isApiMethodName } from '../core/contract/methods.ts';
import { isRequest, requestId, toWire, type ApiEventMessage, type ApiResponse, type Endpoint } from './port-protocol.ts';

/** The response to one message, or null when it is not a request at all (no id to answer to). */
export async function answerRequest(api: Pick<Api, 'callMethod'>, data: unknown): Promise<ApiResponse | null> {
  const id = requestId(data);
  if (id === null) return null;
  try {
    if (!isRequest(data)) throw new ApiError('invalid-input', 'a request needs a method name (a string)');
    if (!isApiMethodName(data.method)) throw new ApiError('not-found', `there is no API method "${data.method}"`);
    const result = await api.callMethod(data.method, data.input);
    return { id, ok: true, result: toWire(result) };
  } catch (error) {
    return { id, ok: false, error: toApiError(error).toJSON() };
  }
}

export interface PortServerOptions {
  /** Told about messages that could not be answered (no id) and replies that could not be sent. */
  onProblem?: (message: string) => void;
}

/** Serves the API over one endpoint until the returned function is called (or the endpoint closes). */
export function servePort(api: Pick<Api, 'callMethod' | 'subscribe'>, endpoint: Endpoint, options: PortServerOptions = {}): () => void {
  let open = true;
  const send = (message: ApiResponse | ApiEventMessage): void => {
    if (!open) return;
    try {
      endpoint.post(message);
    } catch (error) {
      options.onProblem?.(`cannot send a message to the renderer: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const unsubscribe = api.subscribe((event) => send({ event: toWire(event) as ApiEventMessage['event'] }));
  endpoint.onMessage((data) => {
    void answerRequest(api, data).then((response) => {
      if (response) send(response);
      else options.onProblem?.('ignored a message that is not a request (it has no numeric id)');
    });
  });
  return () => {
    if (!open) return;
    open = false;
    unsubscribe();
    endpoint.close();
  };
}
