import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimState } from './state.js';

/** What a route handler gets for one HTTP request. */
export interface RouteContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly state: SimState;
  readonly requestId: string;
  readonly query: URLSearchParams;
  /** Capture groups of a pattern route (e.g. the model id of `/v1/models/{id}`). */
  readonly params: readonly string[];
}
