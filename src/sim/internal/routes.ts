/**
 * The routing table: every endpoint the simulator answers, in one place. A later provider
 * (Bedrock, Vertex, Foundry) adds rows here and an encoder module beside the others.
 */
import { handleCountTokens, handleMessages } from './anthropic-handler.js';
import { handleGetModel, handleListModels } from './models.js';
import { handleChatCompletions } from './openai-handler.js';
import type { RouteContext } from './route-context.js';
import { handleReset, handleStats } from './sim-handler.js';

export interface Route {
  readonly method: 'GET' | 'POST';
  /** An exact path, or a pattern whose capture groups become `params`. */
  readonly path: string | RegExp;
  /** Stable name used in `SimStats.byRoute`. */
  readonly name: string;
  /** Counted in `SimStats.requests` (model API traffic, not control routes). */
  readonly api: boolean;
  readonly handle: (context: RouteContext) => Promise<void> | void;
}

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/messages', name: 'anthropic.messages', api: true, handle: handleMessages },
  {
    method: 'POST',
    path: '/v1/messages/count_tokens',
    name: 'anthropic.count-tokens',
    api: true,
    handle: handleCountTokens,
  },
  { method: 'GET', path: '/v1/models', name: 'models.list', api: true, handle: handleListModels },
  { method: 'GET', path: /^\/v1\/models\/([^/]+)$/, name: 'models.get', api: true, handle: handleGetModel },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    name: 'openai.chat-completions',
    api: true,
    handle: handleChatCompletions,
  },
  { method: 'GET', path: '/_sim/stats', name: 'sim.stats', api: false, handle: handleStats },
  { method: 'POST', path: '/_sim/reset', name: 'sim.reset', api: false, handle: handleReset },
];

const exactRoutes = new Map<string, Route>(
  ROUTES.filter((route) => typeof route.path === 'string').map((route) => [
    `${route.method} ${String(route.path)}`,
    route,
  ]),
);
const patternRoutes = ROUTES.filter(
  (route): route is Route & { path: RegExp } => route.path instanceof RegExp,
);

export interface RouteMatch {
  readonly route: Route;
  readonly params: readonly string[];
}

export function findRoute(method: string, path: string): RouteMatch | undefined {
  const exact = exactRoutes.get(`${method} ${path}`);
  if (exact !== undefined) return { route: exact, params: [] };
  for (const route of patternRoutes) {
    if (route.method !== method) continue;
    const match = route.path.exec(path);
    if (match !== null) return { route, params: match.slice(1) };
  }
  return undefined;
}
