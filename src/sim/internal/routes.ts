/**
 * The routing table: every endpoint the simulator answers, in one place. Route names are what
 * `SimStats.byRoute` counts, so tests can prove which wire a client used.
 */
import { handleCountTokens, handleMessages } from './anthropic-handler.js';
import { handleBedrockInvoke, handleBedrockInvokeStream } from './bedrock-handler.js';
import { handleGetModel, handleListModels } from './models.js';
import { handleChatCompletions } from './openai-handler.js';
import type { RouteContext } from './route-context.js';
import { handleReset, handleStats } from './sim-handler.js';
import {
  VERTEX_COUNT_TOKENS_PATH,
  VERTEX_RAW_PREDICT_PATH,
  VERTEX_STREAM_RAW_PREDICT_PATH,
  handleVertexCountTokens,
  handleVertexRawPredict,
  handleVertexStreamRawPredict,
} from './vertex-handler.js';

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
  // Microsoft Foundry serves the Messages API under `/anthropic` (`https://{resource}.services.ai.azure.com/anthropic/`).
  {
    method: 'POST',
    path: '/anthropic/v1/messages',
    name: 'foundry.messages',
    api: true,
    handle: handleMessages,
  },
  {
    method: 'POST',
    path: '/anthropic/v1/messages/count_tokens',
    name: 'foundry.count-tokens',
    api: true,
    handle: handleCountTokens,
  },
  // Amazon Bedrock InvokeModel; the model id (URL-encoded, may contain `:`) is the capture.
  {
    method: 'POST',
    path: /^\/model\/([^/]+)\/invoke$/,
    name: 'bedrock.invoke',
    api: true,
    handle: handleBedrockInvoke,
  },
  {
    method: 'POST',
    path: /^\/model\/([^/]+)\/invoke-with-response-stream$/,
    name: 'bedrock.invoke-stream',
    api: true,
    handle: handleBedrockInvokeStream,
  },
  // Vertex AI; count-tokens comes first because its path also looks like a model path.
  {
    method: 'POST',
    path: VERTEX_COUNT_TOKENS_PATH,
    name: 'vertex.count-tokens',
    api: true,
    handle: handleVertexCountTokens,
  },
  {
    method: 'POST',
    path: VERTEX_RAW_PREDICT_PATH,
    name: 'vertex.raw-predict',
    api: true,
    handle: handleVertexRawPredict,
  },
  {
    method: 'POST',
    path: VERTEX_STREAM_RAW_PREDICT_PATH,
    name: 'vertex.stream-raw-predict',
    api: true,
    handle: handleVertexStreamRawPredict,
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
