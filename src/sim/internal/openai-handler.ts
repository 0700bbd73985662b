/** `POST /v1/chat/completions` (JSON and SSE), on the same answer engine as the Messages API. */
import type { SimFailure } from '../types.js';
import { openaiErrorBody } from './error-shapes.js';
import {
  destroyConnection,
  readJsonBody,
  startEventStream,
  writeJson,
  writeTruncatedJson,
} from './http-io.js';
import { idFrom } from './ids.js';
import { encodeCompletion, encodeCompletionChunks } from './openai-encode.js';
import { translateChatRequest } from './openai-request.js';
import { prepareRequest } from './prepared-request.js';
import { isRefusedSchema } from './refused-schema.js';
import type { RouteContext } from './route-context.js';
import { runTurn } from './turn.js';

export async function handleChatCompletions(context: RouteContext): Promise<void> {
  const read = await readJsonBody(context.request);
  if (!read.ok) return sendOpenAiError(context, read.status, read.message);
  const translation = translateChatRequest(read.value);
  if (!translation.ok) return sendOpenAiError(context, 400, translation.message, translation.param);
  const { chat } = translation;
  const preparation = prepareRequest(chat.body, 'openai', chat.textSchema);
  if (!preparation.ok) return sendOpenAiError(context, 400, preparation.message, 'messages');

  let outcome;
  try {
    outcome = await runTurn(context.state, preparation.prepared, 'automatic');
  } catch (error) {
    if (isRefusedSchema(error)) return sendOpenAiError(context, 400, error.message, 'response_format');
    const message = error instanceof Error ? error.message : String(error);
    return sendOpenAiError(context, 500, `simulator behaviour failed: ${message}`);
  }
  if (outcome.kind === 'failed') return sendInjectedFailure(context, outcome.failure);

  const headers = { 'x-request-id': context.requestId };
  const frame = {
    id: idFrom('chatcmpl-', outcome.messageId),
    model: chat.body.model,
    created: Math.floor(Date.now() / 1000),
    answer: outcome.answer,
    usage: outcome.usage,
  };
  if (!chat.stream) {
    const completion = encodeCompletion(frame);
    if (outcome.truncate) return writeTruncatedJson(context.response, completion, headers);
    return writeJson(context.response, 200, completion, headers);
  }
  const lines = encodeCompletionChunks(frame, chat.includeUsage);
  startEventStream(context.response, headers);
  // Truncated: the role chunk and the first content chunk, no finish_reason, no [DONE].
  context.response.end((outcome.truncate ? lines.slice(0, 2) : lines).join(''));
}

function sendOpenAiError(context: RouteContext, status: number, message?: string, param?: string): void {
  writeJson(context.response, status, openaiErrorBody(status, message, param ?? null), {
    'x-request-id': context.requestId,
  });
}

function sendInjectedFailure(
  context: RouteContext,
  failure: Exclude<SimFailure, { kind: 'truncate' }>,
): void {
  if (failure.kind === 'reset') return destroyConnection(context.request);
  const headers: Record<string, string> = { 'x-request-id': context.requestId };
  if (failure.status === 429 || failure.status === 529)
    headers['retry-after'] = String(failure.retryAfterSeconds);
  writeJson(context.response, failure.status, openaiErrorBody(failure.status), headers);
}
