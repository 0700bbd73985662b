/**
 * Amazon Bedrock's `POST /model/{modelId}/invoke` and `/invoke-with-response-stream`, as
 * `@anthropic-ai/bedrock-sdk` calls them: the model is in the path, the body is the Messages API
 * body without `model` and `stream` but with `anthropic_version`, requests are SigV4-signed (or
 * carry a Bedrock API key as a bearer token), streams use the AWS event-stream framing and errors
 * use AWS's `{ message }` shape with an `x-amzn-errortype` header.
 */
import type { ServerResponse } from 'node:http';

import { encodeMessage } from './anthropic-json.js';
import { isRecord } from './anthropic-request.js';
import { messageEventObjects } from './anthropic-sse.js';
import { encodeChunkEvent } from './aws-event-stream.js';
import { readJsonBody, writeJson, writeTruncatedJson } from './http-io.js';
import { answerMessages, type MessagesWire } from './messages-exchange.js';
import type { RouteContext } from './route-context.js';

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=…, Signature=<64 hex>` */
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

/** HTTP status and AWS exception name for each status the answer engine may produce. */
const AWS_ERRORS: Record<number, readonly [number, string]> = {
  400: [400, 'ValidationException'],
  403: [403, 'AccessDeniedException'],
  404: [404, 'ResourceNotFoundException'],
  408: [408, 'ModelTimeoutException'],
  413: [400, 'ValidationException'],
  424: [424, 'ModelErrorException'],
  429: [429, 'ThrottlingException'],
  500: [500, 'InternalServerException'],
  // Bedrock has no 529: an overloaded model answers 503 ServiceUnavailableException.
  503: [503, 'ServiceUnavailableException'],
  529: [503, 'ServiceUnavailableException'],
};

const AWS_MESSAGES: Record<string, string> = {
  ThrottlingException: 'Too many requests, please wait before trying again. (simulated)',
  ServiceUnavailableException: 'Bedrock is unable to process your request. (simulated)',
  InternalServerException: 'The server encountered an internal error. (simulated)',
};

export function hasAwsAuthorization(header: string | undefined): boolean {
  if (header === undefined) return false;
  return SIGV4.test(header) || /^Bearer \S+$/.test(header);
}

export function sendBedrockError(
  context: RouteContext,
  status: number,
  message?: string,
  retryAfterSeconds?: number,
  exception?: string,
): void {
  const [httpStatus, type] = AWS_ERRORS[status] ?? [
    status,
    status >= 500 ? 'InternalServerException' : 'ValidationException',
  ];
  const name = exception ?? type;
  const headers: Record<string, string> = {
    'x-amzn-requestid': context.requestId,
    'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  writeJson(
    context.response,
    httpStatus,
    { message: message ?? AWS_MESSAGES[name] ?? `Simulated ${status} error.` },
    headers,
  );
}

function metricHeaders(
  context: RouteContext,
  inputTokens: number,
  outputTokens: number,
): Record<string, string> {
  return {
    'x-amzn-requestid': context.requestId,
    'x-amzn-bedrock-input-token-count': String(inputTokens),
    'x-amzn-bedrock-output-token-count': String(outputTokens),
    'x-amzn-bedrock-invocation-latency': '0',
  };
}

const BEDROCK_WIRE: MessagesWire = {
  sendError: (context, status, message, retryAfterSeconds) =>
    sendBedrockError(context, status, message, retryAfterSeconds),
  sendMessage(context, frame, truncate) {
    const headers = metricHeaders(context, frame.usage.input_tokens, frame.usage.output_tokens);
    const message = encodeMessage(frame);
    if (truncate) return writeTruncatedJson(context.response, message, headers);
    writeJson(context.response, 200, message, headers);
  },
  sendStream(context, frame, truncate) {
    // Bedrock sends no ping events; its message_stop carries the invocation metrics.
    const events = messageEventObjects(frame).filter((event) => event.type !== 'ping');
    const last = events.length - 1;
    events[last] = {
      ...events[last]!,
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: frame.usage.input_tokens,
        outputTokenCount: frame.usage.output_tokens,
        invocationLatency: 0,
        firstByteLatency: 0,
      },
    };
    const sent = truncate ? events.slice(0, Math.min(last, 3)) : events;
    startEventStream(context.response, context.requestId);
    context.response.end(Buffer.concat(sent.map(encodeChunkEvent)));
  },
};

function startEventStream(response: ServerResponse, requestId: string): void {
  response.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': requestId,
    'x-amzn-bedrock-content-type': 'application/json',
  });
}

export const handleBedrockInvoke = (context: RouteContext): Promise<void> => handleInvoke(context, false);
export const handleBedrockInvokeStream = (context: RouteContext): Promise<void> =>
  handleInvoke(context, true);

async function handleInvoke(context: RouteContext, stream: boolean): Promise<void> {
  if (!hasAwsAuthorization(context.request.headers.authorization)) {
    context.request.resume();
    return sendBedrockError(
      context,
      403,
      'Missing Authentication Token',
      undefined,
      'MissingAuthenticationTokenException',
    );
  }
  const read = await readJsonBody(context.request);
  if (!read.ok) return sendBedrockError(context, read.status, read.message);
  const body = read.value;
  if (!isRecord(body))
    return sendBedrockError(context, 400, 'Malformed input request: expected a JSON object.');
  if (typeof body.anthropic_version !== 'string') {
    return sendBedrockError(
      context,
      400,
      'Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.',
    );
  }
  // The model is in the path; Bedrock rejects these body keys, so a client that sends them is wrong.
  for (const key of ['model', 'stream']) {
    if (key in body) {
      return sendBedrockError(
        context,
        400,
        `Malformed input request: #: extraneous key [${key}] is not permitted, please reformat your input and try again.`,
      );
    }
  }
  const model = decodeURIComponent(context.params[0] ?? '');
  await answerMessages(context, { ...body, model, stream }, BEDROCK_WIRE, stream);
}
