/**
 * The in-memory fake of the adapter interface (the fast layer of STYLE.md's two fakes): no HTTP,
 * no simulator. A test decides each answer from the request, and can read back every request.
 */
import { cancelledError } from '../errors.js';
import { resolveAnthropicModel } from '../models.js';
import {
  MODEL_PROVIDER_INTERFACE_VERSION,
  type AssistantBlock,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type Usage,
} from '../types.js';

export type ScriptedAnswer = ModelResponse | Error;
export type ScriptedResponder = (
  request: ModelRequest,
  callIndex: number,
) => ScriptedAnswer | Promise<ScriptedAnswer>;

export interface ScriptedProvider extends ModelProvider {
  /** Every request received, in order (including those answered with an error). */
  readonly requests: readonly ModelRequest[];
}

/**
 * A ModelProvider whose answers come from `respond`. Returning (not throwing) an Error makes
 * `createMessage` reject with it, so tests can inject provider failures. Honours `signal`: an
 * aborted request rejects with RUN_CANCELLED.
 *
 * @example
 * const provider = createScriptedProvider(() => scriptedResponse([{ type: 'text', text: 'done' }]))
 */
export function createScriptedProvider(respond: ScriptedResponder): ScriptedProvider {
  const requests: ModelRequest[] = [];
  return {
    interfaceVersion: MODEL_PROVIDER_INTERFACE_VERSION,
    id: 'scripted',
    requests,
    resolveModel: resolveAnthropicModel,
    async createMessage(request, options = {}) {
      if (options.signal?.aborted === true) throw cancelledError(options.signal.reason);
      // A copy: the caller may keep appending to its message list after the call.
      requests.push(structuredClone(request));
      const answer = await respond(request, requests.length - 1);
      if (isAborted(options.signal)) throw cancelledError(options.signal?.reason);
      if (answer instanceof Error) throw answer;
      options.onEvent?.({ type: 'response-start' });
      for (const block of answer.content) {
        if (block.type === 'text') options.onEvent?.({ type: 'text-delta', text: block.text });
        else options.onEvent?.({ type: 'tool-use-start', name: block.name });
      }
      return answer;
    },
  };
}

// A function, not an inline check, so TypeScript does not narrow `aborted` across the await.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

let nextScriptedId = 0;

/**
 * A ModelResponse for scripted answers. The stop reason defaults to `tool_use` when a block calls a
 * tool, else `end_turn`; usage defaults to 10 input / 5 output tokens.
 */
export function scriptedResponse(
  content: readonly AssistantBlock[],
  overrides: { stopReason?: StopReason | null; usage?: Partial<Usage> } = {},
): ModelResponse {
  nextScriptedId += 1;
  const callsTool = content.some((block) => block.type === 'tool_use');
  return {
    id: `msg_scripted_${nextScriptedId}`,
    model: 'scripted-model',
    content,
    stopReason:
      overrides.stopReason !== undefined ? overrides.stopReason : callsTool ? 'tool_use' : 'end_turn',
    usage: {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      ...overrides.usage,
    },
  };
}

/** A `tool_use` block with a fresh id. */
export function toolUse(name: string, input: unknown): AssistantBlock {
  nextScriptedId += 1;
  return { type: 'tool_use', id: `toolu_scripted_${nextScriptedId}`, name, input };
}
