/** `POST /v1/messages` (JSON and SSE) and `POST /v1/messages/count_tokens`. */
import type { SimFailure } from '../types.js';
import { encodeMessage } from './anthropic-json.js';
import { validateMessagesRequest, isRecord } from './anthropic-request.js';
import { encodeMessageEvents } from './anthropic-sse.js';
import { anthropicErrorBody } from './error-shapes.js';
import {
  destroyConnection,
  readJsonBody,
  startEventStream,
  writeJson,
  writeTruncatedJson,
} from './http-io.js';
import { prepareRequest } from './prepared-request.js';
import { countPromptTokens } from './prompt-cache.js';
import type { RouteContext } from './route-context.js';
import { runTurn } from './turn.js';

export async function handleMessages(context: RouteContext): Promise<void> {
  const read = await readJsonBody(context.request);
  if (!read.ok) return sendAnthropicError(context, read.status, read.message);
  const validation = validateMessagesRequest(read.value, { requireMaxTokens: true });
  if (!validation.ok) return sendAnthropicError(context, 400, validation.message);
  const body = validation.body;
  const preparation = prepareRequest(body, 'anthropic', outputSchema(body));
  if (!preparation.ok) return sendAnthropicError(context, 400, preparation.message);

  let outcome;
  try {
    outcome = await runTurn(context.state, preparation.prepared, 'marked');
  } catch (error) {
    return sendAnthropicError(context, 500, `simulator behaviour failed: ${describe(error)}`);
  }
  if (outcome.kind === 'failed') return sendInjectedFailure(context, outcome.failure);

  const headers = { 'request-id': context.requestId };
  const frame = { id: outcome.messageId, model: body.model, answer: outcome.answer, usage: outcome.usage };
  if (body.stream !== true) {
    const message = encodeMessage(frame);
    if (outcome.truncate) return writeTruncatedJson(context.response, message, headers);
    return writeJson(context.response, 200, message, headers);
  }
  const events = encodeMessageEvents(frame);
  startEventStream(context.response, headers);
  // A truncated stream stops after its first content delta: no message_stop ever comes.
  const sent = outcome.truncate ? events.slice(0, Math.min(events.length - 1, 4)) : events;
  context.response.end(sent.join(''));
}

export async function handleCountTokens(context: RouteContext): Promise<void> {
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

function sendInjectedFailure(
  context: RouteContext,
  failure: Exclude<SimFailure, { kind: 'truncate' }>,
): void {
  if (failure.kind === 'reset') return destroyConnection(context.request);
  const retryAfter = failure.status === 429 || failure.status === 529 ? failure.retryAfterSeconds : undefined;
  sendAnthropicError(context, failure.status, undefined, retryAfter);
}

/** Structured outputs: `output_config.format` (or the older `output_format`) with a JSON schema. */
function outputSchema(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const config = isRecord(body.output_config) ? body.output_config.format : body.output_format;
  if (!isRecord(config) || config.type !== 'json_schema' || !isRecord(config.schema)) return undefined;
  return config.schema;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
