/**
 * One Messages-API exchange, shared by every route that carries the Anthropic request body: the
 * first-party API, Foundry, Vertex (`rawPredict`) and Bedrock (`invoke`) differ only in where the
 * model and `stream` come from, how the answer is framed and how errors look. A `MessagesWire`
 * holds those differences; parsing, the answer engine and usage are the same for all of them.
 */
import type { SimFailure } from '../types.js';
import type { MessageFrame } from './anthropic-json.js';
import { isRecord, validateMessagesRequest } from './anthropic-request.js';
import { destroyConnection } from './http-io.js';
import { prepareRequest } from './prepared-request.js';
import { isRefusedSchema } from './refused-schema.js';
import type { RouteContext } from './route-context.js';
import { runTurn } from './turn.js';

export interface MessagesWire {
  /** Report (and enforce) the simulator's rate limits with `anthropic-ratelimit-*` headers. */
  readonly rateLimitHeaders?: boolean;
  /** An error in this platform's own shape. */
  sendError(context: RouteContext, status: number, message?: string, retryAfterSeconds?: number): void;
  /** The whole answer as one JSON body (`truncate`: cut half-way). */
  sendMessage(context: RouteContext, frame: MessageFrame, truncate: boolean): void;
  /** The answer as a stream (`truncate`: stop after the first content delta, no message_stop). */
  sendStream(context: RouteContext, frame: MessageFrame, truncate: boolean): void;
}

export async function answerMessages(
  context: RouteContext,
  value: unknown,
  wire: MessagesWire,
  stream: boolean,
): Promise<void> {
  const validation = validateMessagesRequest(value, { requireMaxTokens: true });
  if (!validation.ok) return wire.sendError(context, 400, validation.message);
  const body = validation.body;
  const preparation = prepareRequest(body, 'anthropic', outputSchema(body));
  if (!preparation.ok) return wire.sendError(context, 400, preparation.message);

  const limits = wire.rateLimitHeaders === true ? context.state.rateLimits : undefined;
  if (limits !== undefined) {
    const admission = limits.admit();
    if (!admission.ok) {
      context.state.stats.rateLimited += 1;
      setHeaders(context, limits.headers());
      return wire.sendError(
        context,
        429,
        `This request would exceed the rate limit for ${admission.kind} (simulated).`,
        admission.retryAfterSeconds,
      );
    }
  }

  let outcome;
  try {
    outcome = await runTurn(context.state, preparation.prepared, 'marked');
  } catch (error) {
    // A schema too large to answer is the request's fault (400), not the simulator's (500).
    if (isRefusedSchema(error)) return wire.sendError(context, 400, error.message);
    const message = error instanceof Error ? error.message : String(error);
    return wire.sendError(context, 500, `simulator behaviour failed: ${message}`);
  }
  if (limits !== undefined) {
    if (outcome.kind === 'answered' && !outcome.truncate) limits.record(outcome.usage);
    setHeaders(context, limits.headers());
  }
  if (outcome.kind === 'failed') return sendInjectedFailure(context, wire, outcome.failure);

  const frame = { id: outcome.messageId, model: body.model, answer: outcome.answer, usage: outcome.usage };
  if (stream) wire.sendStream(context, frame, outcome.truncate);
  else wire.sendMessage(context, frame, outcome.truncate);
}

/** Set before the wire writes its head: node merges them with the headers it passes. */
function setHeaders(context: RouteContext, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) context.response.setHeader(name, value);
}

function sendInjectedFailure(
  context: RouteContext,
  wire: MessagesWire,
  failure: Exclude<SimFailure, { kind: 'truncate' }>,
): void {
  if (failure.kind === 'reset') return destroyConnection(context.request);
  const retryAfter = failure.status === 429 || failure.status === 529 ? failure.retryAfterSeconds : undefined;
  wire.sendError(context, failure.status, undefined, retryAfter);
}

/** Structured outputs: `output_config.format` (or the older `output_format`) with a JSON schema. */
function outputSchema(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const config = isRecord(body.output_config) ? body.output_config.format : body.output_format;
  if (!isRecord(config) || config.type !== 'json_schema' || !isRecord(config.schema)) return undefined;
  return config.schema;
}
