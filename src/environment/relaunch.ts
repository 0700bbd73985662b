/**
 * The launcher's side of the secret handoff: `bin/dynaflow.js` starts the runtime as a child whose
 * environment holds no credential, writes the credentials as JSON to an inherited pipe (fd 3,
 * named by `DYNAFLOW_SECRETS_FD`), forwards signals, and exits the way the runtime did.
 *
 * Only when the environment holds a secret: the demo and the simulator run in-process as before.
 * Not on Windows, which has no /proc to protect against and no inherited descriptor 3.
 */
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';

import { wipeOwnEnvironValues } from './environ-block.js';
import { LAUNCHER_FD_VARIABLE, SECRETS_FD_VARIABLE, splitSecretEnvironment } from './secret-handoff.js';
import { holdsCredential } from './secret-variables.js';

const SECRETS_FD = 3;
/** Open in the launcher for as long as it lives: the runtime sees its end when the launcher dies. */
const LAUNCHER_FD = 4;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * True when this process should hand its secrets to a child runtime: it holds some and is not
 * itself that child.
 *
 * @example
 * if (shouldRelaunch(process.env)) process.exitCode = await relaunchWithoutSecrets();
 */
export function shouldRelaunch(environment: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform === 'win32' || environment[SECRETS_FD_VARIABLE] !== undefined) return false;
  // Only a real credential is worth a second process start; once relaunched, every variable the
  // generous classifier calls secret moves to the pipe.
  return Object.entries(environment).some(
    ([name, value]) => value !== undefined && holdsCredential(name, value),
  );
}

export interface RelaunchOptions {
  /** Node flags for the runtime after this process's own `execArgv` (e.g. a V8 heap flag). */
  readonly nodeFlags?: readonly string[];
  readonly environment?: NodeJS.ProcessEnv;
}

/**
 * Starts `process.execPath` with the same flags and arguments, stdio inherited, the environment
 * without its secrets, and the secrets on fd 3; zeroes them in this process's own environment
 * block (Linux, best effort); resolves with the child's exit code, or re-raises the signal that
 * killed it.
 *
 * @example
 * process.exitCode = await relaunchWithoutSecrets({ nodeFlags: ['--heap-growing-percent=150'] });
 */
export function relaunchWithoutSecrets(options: RelaunchOptions = {}): Promise<number> {
  const { secrets, rest } = splitSecretEnvironment(options.environment ?? process.env);
  // The values are copied: from here on this process needs them only to write them to the pipe.
  wipeOwnEnvironValues(Object.keys(secrets));
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...(options.nodeFlags ?? []), ...process.argv.slice(1)],
    {
      env: {
        ...rest,
        [SECRETS_FD_VARIABLE]: String(SECRETS_FD),
        [LAUNCHER_FD_VARIABLE]: String(LAUNCHER_FD),
      },
      stdio: ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'],
    },
  );
  // A duplex socket: the runtime's end of it is its fd 3.
  const pipe = child.stdio[SECRETS_FD] as Writable | null;
  // A runtime that dies before reading makes the write fail with EPIPE; its exit says why.
  pipe?.on('error', () => undefined);
  pipe?.end(JSON.stringify(secrets));
  const lifeline = child.stdio[LAUNCHER_FD];
  lifeline?.on('error', () => undefined);

  const forwarders = FORWARDED_SIGNALS.map((signal) => {
    const forward = (): void => {
      child.kill(signal);
    };
    process.on(signal, forward);
    return () => process.removeListener(signal, forward);
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      for (const stop of forwarders) stop();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      for (const stop of forwarders) stop();
      lifeline?.destroy();
      if (signal === null) return resolve(code ?? 1);
      // Die the way the runtime did, so a shell sees "killed by SIGTERM", not an exit code.
      process.kill(process.pid, signal);
      resolve(128 + (os.constants.signals[signal] ?? 0));
    });
  });
}

/** Two deliveries closer than this are one signal: the terminal's and the launcher's copy. */
const DUPLICATE_SIGNAL_WINDOW_MS = 250;

/**
 * In the runtime the launcher started: a Ctrl-C reaches both processes (same process group), and
 * the launcher forwards its copy, so the runtime would see two — and the CLI treats a second
 * SIGINT as "stop now". This absorbs a repeat within 250 ms; otherwise, when no other listener is
 * left, it re-raises the signal so its default action (exit) happens as it would without us.
 *
 * @example
 * if (receiveHandedSecrets(process.env)) absorbForwardedDuplicateSignals();
 */
export function absorbForwardedDuplicateSignals(): void {
  for (const signal of FORWARDED_SIGNALS) {
    let last = Number.NEGATIVE_INFINITY;
    const guard = (): void => {
      const now = performance.now();
      const duplicate = now - last < DUPLICATE_SIGNAL_WINDOW_MS;
      last = now;
      if (duplicate || process.listenerCount(signal) > 1) return;
      process.removeListener(signal, guard);
      process.kill(process.pid, signal);
    };
    process.on(signal, guard);
  }
}

/**
 * In the runtime the launcher started: when the launcher dies without passing a signal on (`kill
 * -9`, an OOM kill), the runtime dies with it at once, as the single process did — a run must not
 * go on orphaned while the user (or a crash test) sees dynaflow gone. Linux would offer
 * PR_SET_PDEATHSIG, which node cannot set; the end of an inherited socket does the same.
 *
 * @example
 * if (receiveHandedSecrets(process.env)) exitWithLauncher(process.env);
 */
export function exitWithLauncher(environment: NodeJS.ProcessEnv = process.env): void {
  const variable = environment[LAUNCHER_FD_VARIABLE];
  delete environment[LAUNCHER_FD_VARIABLE];
  if (variable === undefined || !/^\d+$/.test(variable)) return;
  const lifeline = new Socket({ fd: Number(variable), readable: true, writable: false });
  const die = (): void => {
    process.kill(process.pid, 'SIGKILL');
  };
  lifeline.once('end', die);
  lifeline.once('error', die);
  lifeline.resume();
  // It only watches: it must not keep the runtime alive once its work is done.
  lifeline.unref();
}
