/**
 * One mapping from "whatever an SDK or the network threw" to dynaflow's `ProviderError`s, shared by
 * every adapter. The official Anthropic and OpenAI SDKs shape their errors alike (`status`,
 * `headers`, class names such as `APIConnectionError`), so the mapping duck-types instead of
 * importing either SDK: adapters stay independent of each other.
 *
 * The scheduler retries what carries `retryAfterMs` and gives up on the rest, so the one decision
 * made here is retryable vs terminal.
 */
import { DynaflowError, LimitError, ProviderError } from '../errors/index.js';

/** Wait before a retry when the server did not say how long (no `retry-after`). */
export const DEFAULT_RETRY_AFTER_MS = 1000;

export interface ProviderFailureContext {
  /** Human name used in messages: `Anthropic`, `OpenAI`, `the simulator`. */
  readonly providerName: string;
  /** The environment variable holding the credential, named in the hint of 401/403 errors. */
  readonly credentialVariable: string;
  /** Strings that must never appear in a message (API keys); replaced by `[redacted]`. */
  readonly secrets?: readonly string[];
  /** When aborted, any failure is reported as a cancellation. */
  readonly signal?: AbortSignal | undefined;
  /** Current time in ms, for `retry-after` given as an HTTP date. Defaults to `Date.now`. */
  readonly now?: () => number;
}

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly status?: unknown;
  readonly headers?: unknown;
  readonly type?: unknown;
  readonly apiMessage?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
}

const CONNECTION_ERROR_NAMES = new Set(['APIConnectionError', 'APIConnectionTimeoutError', 'FetchError']);
const CONNECTION_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const CONNECTION_MESSAGES = [/socket hang up/i, /^terminated$/i, /other side closed/i, /fetch failed/i];

/** The error every adapter raises when its caller aborted the request. */
export function cancelledError(cause?: unknown): LimitError {
  return new LimitError('RUN_CANCELLED', 'The model request was cancelled because the run was stopped.', {
    cause,
  });
}

/** Replaces every secret in `text` by `[redacted]` (secrets shorter than 4 characters are ignored). */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

function readHeader(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const bag = headers as HeaderBag;
  if (typeof (bag as { get?: unknown }).get === 'function') {
    return (bag as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const value = (bag as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server asked us to wait: `retry-after-ms` (Anthropic's precise header) first, then
 * `retry-after` in seconds or as an HTTP date. `undefined` when neither is usable.
 */
export function parseRetryAfterMs(headers: unknown, now: () => number = Date.now): number | undefined {
  const milliseconds = Number.parseFloat(readHeader(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds);
  const retryAfter = readHeader(headers, 'retry-after');
  if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

function isAbort(error: ErrorLike): boolean {
  return error.name === 'AbortError' || error.name === 'APIUserAbortError';
}

function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const like = error as ErrorLike;
  if (typeof like.name === 'string' && CONNECTION_ERROR_NAMES.has(like.name)) return true;
  if (typeof like.code === 'string' && CONNECTION_ERROR_CODES.has(like.code)) return true;
  const message = typeof like.message === 'string' ? like.message : '';
  if (CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return isConnectionFailure(like.cause, depth + 1);
}

/** The API's own explanation (`error.message` of the JSON body) when there is one. */
function apiExplanation(error: ErrorLike): string {
  if (typeof error.apiMessage === 'string' && error.apiMessage !== '') return error.apiMessage;
  const body = (error as { error?: { error?: { message?: unknown }; message?: unknown } }).error;
  const nested = body?.error?.message ?? body?.message;
  if (typeof nested === 'string' && nested !== '') return nested;
  // Messages here are embedded in sentences of ours: drop the SDK's own final period.
  return typeof error.message === 'string' ? error.message.replace(/\.$/, '') : 'no details';
}

/** The API's error type: Anthropic's `error.type` (`billing_error`), OpenAI's `code` (`insufficient_quota`). */
function errorTypeOf(error: ErrorLike): string | undefined {
  const body = (error as { error?: { type?: unknown; error?: { type?: unknown } } }).error;
  for (const candidate of [error.type, body?.error?.type, body?.type, error.code]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return undefined;
}

const BILLING_TYPES = new Set(['billing_error', 'insufficient_quota']);
/** How the APIs word an empty account when they use a generic status (Anthropic's 400, OpenAI's 429). */
const BILLING_MESSAGE = /credit balance is too low|exceeded your current quota|insufficient[_ ]quota/i;

/** An account out of credit or quota: every later request fails alike, so it is terminal. */
function isBillingFailure(error: ErrorLike, status: number): boolean {
  if (status === 402) return true;
  const type = errorTypeOf(error);
  if (type !== undefined && BILLING_TYPES.has(type)) return true;
  return (status === 400 || status === 429) && BILLING_MESSAGE.test(apiExplanation(error));
}

/** Status codes of errors streamed mid-response (no HTTP status), by their `error.type`. */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  rate_limit_error: 429,
  overloaded_error: 529,
  api_error: 500,
  timeout_error: 504,
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
};

function effectiveStatus(error: ErrorLike): number | undefined {
  if (typeof error.status === 'number') return error.status;
  const type = typeof error.type === 'string' ? error.type : undefined;
  return type === undefined ? undefined : STATUS_BY_ERROR_TYPE[type];
}

/**
 * Maps any failure of one model request to a `DynaflowError`:
 * 429 → `PROVIDER_RATE_LIMITED`, 529 → `PROVIDER_OVERLOADED`, 408/409/5xx → `PROVIDER_SERVER_ERROR`,
 * dropped connections → `PROVIDER_CONNECTION` (all retryable); 401/403 →
 * `PROVIDER_CREDENTIALS_MISSING` naming the variable; an account out of credit or quota (402,
 * `billing_error`, OpenAI's `insufficient_quota` 429) → `PROVIDER_BILLING`; other 4xx →
 * `PROVIDER_REQUEST_REJECTED`;
 * an abort → `RUN_CANCELLED`. Messages never contain `context.secrets`.
 *
 * @example
 * try { await client.messages.create(params) }
 * catch (error) { throw toProviderError(error, { providerName: 'Anthropic', credentialVariable: 'ANTHROPIC_API_KEY' }) }
 */
export function toProviderError(error: unknown, context: ProviderFailureContext): DynaflowError {
  if (DynaflowError.isInstance(error)) return error;
  const like: ErrorLike = typeof error === 'object' && error !== null ? error : { message: String(error) };
  if (context.signal?.aborted === true || isAbort(like)) return cancelledError(error);

  const clean = (text: string): string => redactSecrets(text, context.secrets);
  const name = context.providerName;
  const status = effectiveStatus(like);
  const retryAfter = (): number => parseRetryAfterMs(like.headers, context.now) ?? DEFAULT_RETRY_AFTER_MS;
  const options = (retryable: boolean) => ({
    cause: error,
    ...(status === undefined ? {} : { status }),
    ...(retryable ? { retryAfterMs: retryAfter() } : {}),
  });

  if (status === undefined) {
    if (isConnectionFailure(error)) {
      return new ProviderError(
        'PROVIDER_CONNECTION',
        clean(`The connection to ${name} failed: ${apiExplanation(like)}.`),
        { ...options(true), hint: 'dynaflow retries this automatically; check the network or the base URL.' },
      );
    }
    return new ProviderError(
      'PROVIDER_BAD_RESPONSE',
      clean(`${name} request failed unexpectedly: ${apiExplanation(like)}`),
      options(false),
    );
  }
  // Before the 429 branch: OpenAI reports an exhausted quota as a 429 that no retry will cure.
  if (isBillingFailure(like, status)) {
    return new ProviderError(
      'PROVIDER_BILLING',
      clean(`${name} refused the request for billing reasons (${status}): ${apiExplanation(like)}`),
      {
        ...options(false),
        hint: `Add credits or raise the spending limit of the account behind ${context.credentialVariable}; the run can then be resumed.`,
      },
    );
  }
  if (status === 429) {
    return new ProviderError(
      'PROVIDER_RATE_LIMITED',
      clean(`${name} rate limit reached (429).`),
      options(true),
    );
  }
  if (status === 529) {
    return new ProviderError('PROVIDER_OVERLOADED', clean(`${name} is overloaded (529).`), options(true));
  }
  if (status >= 500 || status === 408 || status === 409) {
    return new ProviderError(
      'PROVIDER_SERVER_ERROR',
      clean(`${name} answered with a server error (${status}): ${apiExplanation(like)}`),
      options(true),
    );
  }
  if (status === 401 || status === 403) {
    return new ProviderError(
      'PROVIDER_CREDENTIALS_MISSING',
      clean(`${name} refused the credentials (${status}): ${apiExplanation(like)}`),
      {
        ...options(false),
        hint: `Check that ${context.credentialVariable} holds a valid key for this endpoint.`,
      },
    );
  }
  return new ProviderError(
    'PROVIDER_REQUEST_REJECTED',
    clean(`${name} rejected the request (${status}): ${apiExplanation(like)}`),
    {
      ...options(false),
      hint: status === 404 ? 'Check the model name (--model, opts.model) and the base URL.' : undefined,
    },
  );
}
