/** Settings every official SDK client gets, whichever provider it talks to. */
import { Console } from 'node:console';

import { ProviderError } from '../../errors/index.js';

/** Ten minutes: a long agent turn may stream for minutes; the scheduler owns retries anyway. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** stdout carries only the run's result; SDK log lines must never land there. */
export const stderrLogger = (): Console => new Console(process.stderr);

/** A variable's value, trimmed; undefined when unset or blank. */
export function readVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Secrets worth redacting (empty and missing values dropped). */
export function secretsOf(...values: ReadonlyArray<string | null | undefined>): string[] {
  return values.filter((value): value is string => typeof value === 'string' && value !== '');
}

/** True when `error` (or one of its causes) carries `message` — how SDKs report credential lookups. */
export function hasMessage(error: unknown, pattern: RegExp, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const like = error as { message?: unknown; cause?: unknown };
  if (typeof like.message === 'string' && pattern.test(like.message)) return true;
  return hasMessage(like.cause, pattern, depth + 1);
}

/**
 * A credential the platform SDK could not find at request time (terminal: no retry helps).
 * `reason` is the SDK's own explanation, when it says which sign-in is missing.
 */
export function credentialsUnresolved(
  what: string,
  hint: string,
  cause: unknown,
  reason?: string,
): ProviderError {
  const message = reason ? `${what} could not be found: ${reason}` : `${what} could not be found.`;
  return new ProviderError('PROVIDER_CREDENTIALS_MISSING', message, { hint, cause });
}
