/**
 * Vertex AI's `…/projects/{p}/locations/{l}/publishers/anthropic/models/{m}:rawPredict` and
 * `:streamRawPredict`, as `@anthropic-ai/vertex-sdk` calls them: the model is in the path, the
 * body is the Messages API body without `model` but with `anthropic_version`; answers are the
 * Messages API's JSON and SSE. Quota errors (429) use Google's error shape, model errors pass
 * through in Anthropic's, as on the real platform.
 */
import { ANTHROPIC_WIRE, sendAnthropicError } from './anthropic-handler.js';
import { isRecord, validateMessagesRequest } from './anthropic-request.js';
import { readJsonBody, writeJson } from './http-io.js';
import { answerMessages, type MessagesWire } from './messages-exchange.js';
import { countPromptTokens } from './prompt-cache.js';
import type { RouteContext } from './route-context.js';

/** Path prefix `{base}/projects/{p}/locations/{l}/publishers/anthropic/models/`; `/v1` is optional. */
const MODEL_PATH = String.raw`^(?:/v1)?/projects/([^/]+)/locations/([^/]+)/publishers/anthropic/models/`;
export const VERTEX_COUNT_TOKENS_PATH = new RegExp(`${MODEL_PATH}count-tokens:rawPredict$`);
export const VERTEX_RAW_PREDICT_PATH = new RegExp(`${MODEL_PATH}([^/:]+):rawPredict$`);
export const VERTEX_STREAM_RAW_PREDICT_PATH = new RegExp(`${MODEL_PATH}([^/:]+):streamRawPredict$`);

function sendVertexError(
  context: RouteContext,
  status: number,
  message?: string,
  retryAfterSeconds?: number,
): void {
  if (status !== 429) return sendAnthropicError(context, status, message, retryAfterSeconds);
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  writeJson(
    context.response,
    429,
    {
      error: {
        code: 429,
        message:
          message ??
          'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model (simulated).',
        status: 'RESOURCE_EXHAUSTED',
      },
    },
    headers,
  );
}

const VERTEX_WIRE: MessagesWire = { ...ANTHROPIC_WIRE, sendError: sendVertexError };

export const handleVertexRawPredict = (context: RouteContext): Promise<void> => handlePredict(context, false);
export const handleVertexStreamRawPredict = (context: RouteContext): Promise<void> =>
  handlePredict(context, true);

async function readVertexBody(
  context: RouteContext,
  modelInBody: 'forbidden' | 'allowed',
): Promise<Record<string, unknown> | undefined> {
  const read = await readJsonBody(context.request);
  if (!read.ok) {
    sendVertexError(context, read.status, read.message);
    return undefined;
  }
  const body = read.value;
  if (!isRecord(body)) {
    sendVertexError(context, 400, 'body: Input should be an object');
    return undefined;
  }
  if (typeof body.anthropic_version !== 'string') {
    sendVertexError(context, 400, 'anthropic_version: Field required');
    return undefined;
  }
  if (modelInBody === 'forbidden' && 'model' in body) {
    sendVertexError(context, 400, 'model: Extra inputs are not permitted (the model is part of the URL)');
    return undefined;
  }
  return body;
}

async function handlePredict(context: RouteContext, stream: boolean): Promise<void> {
  const body = await readVertexBody(context, 'forbidden');
  if (body === undefined) return;
  const model = decodeURIComponent(context.params[2] ?? '');
  await answerMessages(context, { ...body, model, stream }, VERTEX_WIRE, stream);
}

export async function handleVertexCountTokens(context: RouteContext): Promise<void> {
  // count_tokens keeps `model` in the body: the SDK only rewrites its path.
  const body = await readVertexBody(context, 'allowed');
  if (body === undefined) return;
  const validation = validateMessagesRequest({ model: 'count-tokens', ...body }, { requireMaxTokens: false });
  if (!validation.ok) return sendVertexError(context, 400, validation.message);
  writeJson(context.response, 200, { input_tokens: countPromptTokens(validation.body) });
}
