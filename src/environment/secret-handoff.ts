/**
 * Provider keys handed from the launcher to the runtime through an inherited pipe instead of the
 * environment.
 *
 * Why: on Linux every process of the same user can read `/proc/<pid>/environ` — the block a
 * process was started with — so a child of dynaflow (an agent's `Bash`, `exec()`, an MCP server)
 * could read its parent's keys there even though its own environment was scrubbed. Variables a
 * process assigns later live only in its memory, not in that block: the runtime is started with
 * an environment without secrets and assigns them from the pipe, so every SDK still reads
 * `process.env` as before.
 */
import { closeSync, readSync } from 'node:fs';

import { UsageError } from '../errors/index.js';
import { isSecretVariable } from './secret-variables.js';

/** Names the inherited descriptor the secrets arrive on; set by the launcher, never a secret. */
export const SECRETS_FD_VARIABLE = 'DYNAFLOW_SECRETS_FD';
/** Names the inherited descriptor that stays open while the launcher lives (`exitWithLauncher`). */
export const LAUNCHER_FD_VARIABLE = 'DYNAFLOW_LAUNCHER_FD';

/**
 * The environment split into credentials (to hand over through the pipe) and the rest (to start
 * the runtime with). Same classifier as `scrubEnvironment`.
 *
 * @example
 * splitSecretEnvironment({ ANTHROPIC_API_KEY: 'sk-…', HOME: '/home/me' })
 * // → { secrets: { ANTHROPIC_API_KEY: 'sk-…' }, rest: { HOME: '/home/me' } }
 */
export function splitSecretEnvironment(environment: NodeJS.ProcessEnv): {
  secrets: Record<string, string>;
  rest: Record<string, string>;
} {
  const secrets: Record<string, string> = {};
  const rest: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined || name === SECRETS_FD_VARIABLE || name === LAUNCHER_FD_VARIABLE) continue;
    if (isSecretVariable(name, value)) secrets[name] = value;
    else rest[name] = value;
  }
  return { secrets, rest };
}

function handoffError(message: string, cause?: unknown): UsageError {
  return new UsageError('CONFIG_INVALID', `${SECRETS_FD_VARIABLE}: ${message}`, {
    hint: `${SECRETS_FD_VARIABLE} is set by bin/dynaflow.js for the process it starts; unset it and run dynaflow again.`,
    cause,
  });
}

/** Reads the descriptor to its end, blocking: nothing else may run before the keys are in place. */
function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let count: number;
    try {
      count = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      // A non-blocking descriptor with nothing yet: wait a little for the launcher's write.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw error;
    }
    if (count === 0) return Buffer.concat(chunks).toString('utf8');
    chunks.push(Buffer.from(buffer.subarray(0, count)));
  }
}

function parseSecrets(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw handoffError('the secrets pipe did not hold JSON.', error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw handoffError('the secrets pipe must hold one JSON object of variable names to values.');
  }
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string')
      throw handoffError(`the value of ${name} in the secrets pipe is not a string.`);
    secrets[name] = value;
  }
  return secrets;
}

/**
 * In the runtime started by the launcher: reads the secrets from the descriptor named by
 * `DYNAFLOW_SECRETS_FD`, assigns them to `environment`, closes the descriptor (so no child
 * inherits it) and removes the variable. Returns false, doing nothing, when the variable is unset.
 * Throws CONFIG_INVALID when it names no readable descriptor or the pipe holds no JSON object.
 *
 * @example
 * receiveHandedSecrets(process.env); // first thing at start-up
 */
export function receiveHandedSecrets(environment: NodeJS.ProcessEnv = process.env): boolean {
  const variable = environment[SECRETS_FD_VARIABLE];
  if (variable === undefined) return false;
  const fd = /^\d+$/.test(variable) ? Number(variable) : Number.NaN;
  if (!Number.isSafeInteger(fd) || fd < 3) {
    throw handoffError(`"${variable}" is not a descriptor number of 3 or more.`);
  }
  let text: string;
  try {
    text = readAll(fd);
  } catch (error) {
    throw handoffError(`descriptor ${fd} could not be read (${(error as Error).message}).`, error);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Not open: readAll has already said so.
    }
  }
  // Assignments, not the exec'd environment block: they stay out of /proc/<pid>/environ.
  Object.assign(environment, parseSecrets(text));
  delete environment[SECRETS_FD_VARIABLE];
  return true;
}
