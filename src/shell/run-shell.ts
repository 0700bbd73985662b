/**
 * The one way dynaflow runs a shell command (agents' `Bash`, the script's `exec()`): `bash -c`
 * in its own process group, inside the run's OS sandbox, with a scrubbed environment, a timeout
 * and an abort signal, and head-and-tail output capture.
 */
import { spawn } from 'node:child_process';

import { scrubEnvironment } from '../environment/index.js';
import { BoundedOutput, DEFAULT_OUTPUT_LIMIT } from './bounded-output.js';
import type { CommandSandbox, PreparedCommand } from './command-sandbox.js';

export interface ShellRequest {
  readonly command: string;
  readonly cwd: string;
  /** The directory the command may write (its worktree or the project root). Default: `cwd`. */
  readonly workspace?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The environment before scrubbing. Default: this process's. */
  readonly environment?: NodeJS.ProcessEnv;
  /** Characters kept per stream (head and tail). Default 30,000. */
  readonly outputLimit?: number;
  /** Capture stderr into `stdout`, in arrival order (what a model reads as one transcript). */
  readonly mergeStderr?: boolean;
  /** The run's OS sandbox. Absent: the command runs unsandboxed. */
  readonly sandbox?: CommandSandbox;
}

export interface ShellResult {
  /** The shell's exit code; `null` when it was ended by a signal or never started. */
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Characters the command wrote in all (before truncation). */
  readonly outputLength: number;
  /** Set when dynaflow killed the command. */
  readonly stopped: 'timeout' | 'abort' | undefined;
  /** Set when the command could not start (no bash, no such directory, a sandbox failure). */
  readonly startError: string | undefined;
  readonly sandboxed: boolean;
}

/**
 * After the shell exits its process group is killed; a process that left the group (`setsid`)
 * could still hold the pipes open, so they are closed this long after the exit.
 */
const PIPE_GRACE_MS = 250;

/**
 * @example
 * const result = await runShell({ command: 'npm test', cwd: workspace, timeoutMs: 120_000, sandbox });
 * if (result.exitCode !== 0) console.log(result.stderr);
 */
export async function runShell(request: ShellRequest): Promise<ShellResult> {
  const failed = (startError: string, sandboxed = false): ShellResult => ({
    exitCode: null,
    exitSignal: null,
    stdout: '',
    stderr: '',
    outputLength: 0,
    stopped: undefined,
    startError,
    sandboxed,
  });
  if (request.signal?.aborted) return { ...failed('aborted before it started'), stopped: 'abort' };
  let prepared: PreparedCommand;
  try {
    prepared = (await request.sandbox?.prepare(['bash', '-c', request.command], {
      workspace: request.workspace ?? request.cwd,
      cwd: request.cwd,
    })) ?? {
      argv: ['bash', '-c', request.command],
      environment: {},
      sandboxed: false,
      dispose: () => Promise.resolve(),
    };
  } catch (error) {
    return failed(`cannot prepare the sandbox: ${(error as Error).message}`, true);
  }
  try {
    // Preparing the sandbox awaited: an abort in between must not start the command.
    if (request.signal?.aborted) return { ...failed('aborted before it started'), stopped: 'abort' };
    return await spawnCommand(request, prepared);
  } finally {
    await prepared.dispose().catch(() => undefined);
  }
}

function spawnCommand(request: ShellRequest, prepared: PreparedCommand): Promise<ShellResult> {
  const limit = request.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
  const stdout = new BoundedOutput(limit);
  const stderr = request.mergeStderr ? stdout : new BoundedOutput(limit);
  const [program, ...args] = prepared.argv;
  return new Promise((resolve) => {
    let stopped: 'timeout' | 'abort' | undefined;
    let startError: string | undefined;
    const child = spawn(program!, args, {
      cwd: request.cwd,
      env: { ...scrubEnvironment(request.environment ?? process.env), ...prepared.environment },
      // Its own process group: a timeout or an abort kills everything the command started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const stop = (reason: 'timeout' | 'abort'): void => {
      stopped ??= reason;
      killGroup();
    };
    const timer = setTimeout(() => stop('timeout'), request.timeoutMs);
    const onAbort = (): void => stop('abort');
    request.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.append(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.append(chunk));
    let graceTimer: NodeJS.Timeout | undefined;
    child.on('exit', () => {
      // Background jobs (`server &`) would keep the pipes open after the shell is gone: end them
      // with it, so the command returns when its shell does, not at the timeout.
      killGroup();
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, PIPE_GRACE_MS);
    });
    child.on('error', (error) => {
      startError = `cannot start ${program ?? 'bash'}: ${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: startError === undefined ? code : null,
        exitSignal: signal,
        stdout: stdout.toString(),
        stderr: request.mergeStderr ? '' : stderr.toString(),
        outputLength: stdout.length + (request.mergeStderr ? 0 : stderr.length),
        stopped,
        startError,
        sandboxed: prepared.sandboxed,
      });
    });
  });
}
