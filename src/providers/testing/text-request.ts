import type { ModelRequest } from '../types.js';

/**
 * The smallest request an adapter test sends: one user message, no system prompt, no tools.
 *
 * @example
 * await provider.createMessage(textRequest('claude-sonnet-5-5', '@sim reply ok'));
 */
export function textRequest(model: string, content: string): ModelRequest {
  return { model, system: [], messages: [{ role: 'user', content }], tools: [], maxTokens: 64 };
}
