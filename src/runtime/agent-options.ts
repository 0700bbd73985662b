/**
 * Reads the options object a script passes to `agent()`. Scripts written for Claude Code must
 * run unchanged, so unknown or ill-typed options are ignored with a warning, never a crash.
 */
import type { JsonValue } from '../sandbox/index.js';
import type { Effort, JsonSchema } from '../providers/index.js';

export interface AgentCallOptions {
  readonly label?: string;
  readonly phase?: string;
  readonly schema?: JsonSchema;
  readonly model?: string;
  readonly effort?: Effort;
  readonly agentType?: string;
  readonly isolation?: 'worktree';
  readonly maxTurns?: number;
}

const EFFORTS: readonly string[] = ['low', 'medium', 'high', 'xhigh', 'max'];

/** Options that change what the agent does, and therefore take part in its call identity. */
export function behaviourOptions(options: AgentCallOptions): Record<string, unknown> {
  return {
    schema: options.schema,
    model: options.model,
    effort: options.effort,
    agentType: options.agentType,
    isolation: options.isolation,
    maxTurns: options.maxTurns,
  };
}

export function readAgentOptions(
  value: JsonValue | undefined,
  warn: (message: string) => void,
): AgentCallOptions {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    warn(
      `agent() options must be an object; got ${Array.isArray(value) ? 'an array' : typeof value} (ignored)`,
    );
    return {};
  }
  const result: { -readonly [K in keyof AgentCallOptions]: AgentCallOptions[K] } = {};
  const unknownKeys: string[] = [];
  for (const [key, option] of Object.entries(value)) {
    switch (key) {
      case 'label':
      case 'phase':
      case 'model':
      case 'agentType':
        if (typeof option === 'string' || typeof option === 'number') result[key] = String(option);
        else if (option !== null) warn(`agent() option "${key}" must be a string (ignored)`);
        break;
      case 'schema':
        if (option && typeof option === 'object' && !Array.isArray(option)) result.schema = option;
        else if (option !== null) warn('agent() option "schema" must be a JSON Schema object (ignored)');
        break;
      case 'effort':
        if (typeof option === 'string' && EFFORTS.includes(option)) result.effort = option as Effort;
        else if (option !== null)
          warn(`agent() option "effort" must be one of ${EFFORTS.join(', ')} (ignored)`);
        break;
      case 'isolation':
        if (option === 'worktree') result.isolation = 'worktree';
        else if (option !== null) warn('agent() option "isolation" only accepts "worktree" (ignored)');
        break;
      case 'maxTurns':
        if (typeof option === 'number' && Number.isInteger(option) && option > 0) result.maxTurns = option;
        else warn('agent() option "maxTurns" must be a positive integer (ignored)');
        break;
      default:
        unknownKeys.push(key);
    }
  }
  if (unknownKeys.length > 0) warn(describeUnknownKeys(unknownKeys));
  return result;
}

/** Names shown in the one warning about unknown option keys; the rest are counted. */
const SHOWN_UNKNOWN_KEYS = 3;
const SHOWN_KEY_CHARS = 40;

/** One warning for all unknown keys of a call: a script passing a million keys gets one line, not a million. */
function describeUnknownKeys(keys: readonly string[]): string {
  const shown = keys
    .slice(0, SHOWN_UNKNOWN_KEYS)
    .map((key) => JSON.stringify(key.length > SHOWN_KEY_CHARS ? `${key.slice(0, SHOWN_KEY_CHARS)}…` : key))
    .join(', ');
  const more = keys.length - SHOWN_UNKNOWN_KEYS;
  const rest = more > 0 ? ` and ${more.toLocaleString('en-US')} more` : '';
  return `unknown agent() option${keys.length > 1 ? 's' : ''} ${shown}${rest} (ignored)`;
}
