/**
 * `POST /v1/messages` (JSON and SSE) and `POST /v1/messages/count_tokens`. Foundry's
 * `/anthropic/v1/messages` is the same API under a prefix, so it uses these handlers too.
 */
import { encodeMessage } from './anthropic-json.js';
import { isRecord, validateMessagesRequest } from './anthropic-request.js';
import { encodeMessageEvents } from './anthropic-sse.js';
import { anthropicErrorBody } from './error-shapes.js';
import { readJsonBody, startEventStream, writeJson, writeTruncatedJson } from './http-io.js';
import { answerMessages, type MessagesWire } from './messages-exchange.js';
import { countPromptTokens } from './prompt-cache.js';
import type { RouteContext } from './route-context.js';

/** The first-party wire: Anthropic error bodies, JSON messages, SSE streams. */
export const ANTHROPIC_WIRE: MessagesWire = {
  rateLimitHeaders: true,
  sendError: sendAnthropicError,
  sendMessage(context, frame, truncate) {
    const headers = { 'request-id': context.requestId };
    const message = encodeMessage(frame);
    if (truncate) return writeTruncatedJson(context.response, message, headers);
    writeJson(context.response, 200, message, headers);
  },
  sendStream(context, frame, truncate) {
    const events = encodeMessageEvents(frame);
    startEventStream(context.response, { 'request-id': context.requestId });
    // A truncated stream stops after its first content delta: no message_stop ever comes.
    const sent = truncate ? events.slice(0, Math.min(events.length - 1, 4)) : events;
    context.response.end(sent.join(''));
  },
};

/**
 * The real API answers 401 before reading a request that carries no credential: an `x-api-key`
 * (API key, Foundry key) or an `Authorization: Bearer` token (OAuth, Entra ID). Which key it is
 * does not matter here; that one is sent at all is what tests of credential plumbing rely on.
 */
function refusedWithoutCredential(context: RouteContext): boolean {
  const headers = context.request.headers;
  const bearer = /^Bearer\s+\S/i.test(headers.authorization ?? '');
  if (bearer || (headers['x-api-key'] ?? '') !== '') return false;
  context.request.resume();
  sendAnthropicError(context, 401, 'x-api-key header is required (simulated).');
  return true;
}

export async function handleMessages(context: RouteContext): Promise<void> {
  if (refusedWithoutCredential(context)) return;
  const read = await readJsonBody(context.request);
  if (!read.ok) return sendAnthropicError(context, read.status, read.message);
  await answerMessages(
    context,
    read.value,
    ANTHROPIC_WIRE,
    isRecord(read.value) && read.value.stream === true,
  );
}

export async function handleCountTokens(context: RouteContext): Promise<void> {
  if (refusedWithoutCredential(context)) return;
  const read = await readJsonBody(context.request);
  if (!read.ok) return sendAnthropicError(context, read.status, read.message);
  const validation = validateMessagesRequest(read.value, { requireMaxTokens: false });
  if (!validation.ok) return sendAnthropicError(context, 400, validation.message);
  writeJson(
    context.response,
    200,
    { input_tokens: countPromptTokens(validation.body) },
    { 'request-id': context.requestId },
  );
}

export function sendAnthropicError(
  context: RouteContext,
  status: number,
  message?: string,
  retryAfterSeconds?: number,
): void {
  const headers: Record<string, string> = { 'request-id': context.requestId };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  writeJson(context.response, status, anthropicErrorBody(status, context.requestId, message), headers);
}
