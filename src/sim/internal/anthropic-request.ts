/**
 * Minimal validation of a Messages API body, with the real API's `field: problem` messages.
 * Only what the simulator relies on is checked; unknown fields pass through as the API allows.
 */
import type { SimMessagesRequest } from '../types.js';

export type Validation =
  { readonly ok: true; readonly body: SimMessagesRequest } | { readonly ok: false; readonly message: string };

export interface ValidationOptions {
  /** `count_tokens` takes no `max_tokens`. */
  readonly requireMaxTokens: boolean;
}

export function validateMessagesRequest(value: unknown, options: ValidationOptions): Validation {
  const problem = findProblem(value, options);
  return problem === undefined
    ? { ok: true, body: value as SimMessagesRequest }
    : { ok: false, message: problem };
}

function findProblem(value: unknown, options: ValidationOptions): string | undefined {
  if (!isRecord(value)) return 'body: Input should be an object';
  if (typeof value.model !== 'string' || value.model === '') return 'model: Field required';
  if (options.requireMaxTokens) {
    if (value.max_tokens === undefined) return 'max_tokens: Field required';
    if (typeof value.max_tokens !== 'number' || !Number.isInteger(value.max_tokens)) {
      return 'max_tokens: Input should be a valid integer';
    }
    if (value.max_tokens < 1) return 'max_tokens: Input should be greater than or equal to 1';
  }
  if (!Array.isArray(value.messages)) return 'messages: Field required';
  if (value.messages.length === 0) return 'messages: at least one message is required';
  for (const [index, message] of (value.messages as unknown[]).entries()) {
    const problem = messageProblem(message);
    if (problem !== undefined) return `messages.${index}${problem}`;
  }
  if (value.system !== undefined && typeof value.system !== 'string') {
    if (!Array.isArray(value.system)) return 'system: Input should be a valid string or list';
    const bad = (value.system as unknown[]).findIndex(
      (block) => !isRecord(block) || typeof block.text !== 'string',
    );
    if (bad !== -1) return `system.${bad}.text: Field required`;
  }
  if (value.stream !== undefined && typeof value.stream !== 'boolean')
    return 'stream: Input should be a valid boolean';
  return toolsProblem(value);
}

function messageProblem(message: unknown): string | undefined {
  if (!isRecord(message)) return ': Input should be an object';
  if (message.role !== 'user' && message.role !== 'assistant')
    return ".role: Input should be 'user' or 'assistant'";
  if (typeof message.content === 'string') return undefined;
  if (!Array.isArray(message.content)) return '.content: Input should be a valid string or list';
  const bad = (message.content as unknown[]).findIndex(
    (block) => !isRecord(block) || typeof block.type !== 'string',
  );
  return bad === -1 ? undefined : `.content.${bad}.type: Field required`;
}

function toolsProblem(value: Record<string, unknown>): string | undefined {
  const names = new Set<string>();
  if (value.tools !== undefined) {
    if (!Array.isArray(value.tools)) return 'tools: Input should be a valid list';
    for (const [index, tool] of (value.tools as unknown[]).entries()) {
      if (!isRecord(tool) || typeof tool.name !== 'string') return `tools.${index}.name: Field required`;
      if (tool.type === undefined && !isRecord(tool.input_schema))
        return `tools.${index}.input_schema: Field required`;
      names.add(tool.name);
    }
  }
  const choice = value.tool_choice;
  if (choice === undefined) return undefined;
  if (!isRecord(choice) || !['auto', 'any', 'tool', 'none'].includes(String(choice.type))) {
    return "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'";
  }
  if (choice.type === 'tool' && (typeof choice.name !== 'string' || !names.has(choice.name))) {
    return `tool_choice: Tool '${String(choice.name)}' not found in provided tools`;
  }
  if (choice.type === 'any' && names.size === 0) return 'tool_choice: requires at least one tool in tools';
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
