/**
 * The public door of src/agent: the agent loop (one agent, many model turns, tool calls,
 * structured output) and the types tools implement.
 */
export {
  DEFAULT_MAX_TOKENS,
  DEFAULT_MAX_TURNS,
  MAX_STRUCTURED_OUTPUT_ATTEMPTS,
  runAgent,
} from './agent-loop.js';
export {
  STRUCTURED_OUTPUT_TOOL,
  checkSchemaSatisfiable,
  formatValidationErrors,
  normalizeSchema,
  prepareStructuredOutput,
  type StructuredOutput,
} from './structured-output.js';
export { UNATTENDED_AGENT_PREAMBLE, agentSystemPrompt } from './system-prompt.js';
export {
  MIN_WARM_PREFIX_CHARS,
  cacheablePrefix,
  estimatePromptTokens,
  type CacheablePrefix,
} from './prompt-cache-key.js';
export {
  KNOWN_PREFIXES,
  MIN_SHARED_PREFIX_CHARS,
  RECENT_PROMPTS,
  SharedPrefixIndex,
  type SharedPrefixIndexOptions,
} from './shared-prefix.js';
export type {
  AgentDependencies,
  AgentEvent,
  AgentOutcome,
  AgentSpec,
  AgentTool,
  JsonSchema,
  SchemaInput,
  SendRequest,
  ToolContext,
  ToolResult,
  TranscriptEntry,
} from './types.js';
