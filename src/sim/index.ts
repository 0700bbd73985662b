/**
 * The model simulator (SPEC §5): a local server that the official Anthropic and OpenAI clients
 * cannot tell from the real APIs, deterministic for a given seed and request.
 */
export { startSimulator } from './server.js';
export { synthesiseFromSchema } from './schema-synthesis.js';
export { parseDirectives } from './internal/directives.js';
export type { DirectiveParse } from './internal/directives.js';
export { SIM_MODELS } from './internal/models.js';
export type {
  BehaviourAnswer,
  BehaviourContext,
  BehaviourRequest,
  BehaviourToolResult,
  SimBehaviour,
  SimCacheControl,
  SimContentBlock,
  SimDirectives,
  SimFailure,
  SimMessageParam,
  SimMessagesRequest,
  SimRateLimitOptions,
  SimStats,
  SimStopReason,
  SimToolChoice,
  SimToolParam,
  SimUsage,
  SimulatorHandle,
  SimulatorOptions,
} from './types.js';
