/** The simulator's own control routes: `GET /_sim/stats`, `POST /_sim/reset`. */
import { writeJson } from './http-io.js';
import type { RouteContext } from './route-context.js';
import type { SimState } from './state.js';

export function handleStats(context: RouteContext): void {
  writeJson(context.response, 200, context.state.stats.snapshot());
}

export function handleReset(context: RouteContext): void {
  resetState(context.state);
  writeJson(context.response, 200, { ok: true });
}

export function resetState(state: SimState): void {
  state.stats.reset();
  state.cache.clear();
  state.attempts.clear();
  state.rateLimits?.clear();
}
