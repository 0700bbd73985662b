/**
 * `exec(command, { cwd?, timeoutMs? })` — dynaflow's extension: a shell command without an LLM
 * (build, test, lint), journaled and replayed like an agent, under the same permission rules.
 */
import { constants } from 'node:os';
import path from 'node:path';
import { ScriptError } from '../errors/index.js';
import { ZERO_USAGE } from '../providers/index.js';
import type { JsonValue } from '../sandbox/index.js';
import { runShell, type CommandSandbox } from '../shell/index.js';
import { callHash } from './call-identity.js';
import { replayCall } from './replay.js';
import type { CommandRunner, RunState } from './run-state.js';

export interface ExecCallRequest {
  readonly command: string;
  readonly options: JsonValue;
  readonly phase: string | null;
  readonly keyOf: (hash: string) => string;
  readonly warn: (message: string) => void;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Characters of stdout and of stderr kept (head and tail): build and test logs end with what matters. */
const EXEC_OUTPUT_LIMIT = 1024 * 1024;

/**
 * The default `exec()` runner: the shell runner inside the run's OS sandbox, answering
 * `{ code, stdout, stderr }`; a kill is noted at the end of stderr.
 *
 * @example
 * const runCommand = shellCommandRunner(CommandSandbox.disabled());
 */
export function shellCommandRunner(sandbox: CommandSandbox): CommandRunner {
  return async ({ command, cwd, workspace, timeoutMs, signal }) => {
    const result = await runShell({
      command,
      cwd,
      workspace,
      timeoutMs,
      signal,
      outputLimit: EXEC_OUTPUT_LIMIT,
      sandbox,
    });
    const killedFor =
      result.stopped === 'timeout'
        ? `timed out after ${timeoutMs} ms`
        : result.stopped === 'abort'
          ? 'cancelled'
          : undefined;
    if (result.startError !== undefined) {
      return { code: 127, stdout: '', stderr: killedFor ? `[dynaflow: ${killedFor}]` : result.startError };
    }
    const signalled = result.exitSignal === null ? 1 : 128 + (constants.signals[result.exitSignal] ?? 9);
    return {
      code: result.exitCode ?? signalled,
      stdout: result.stdout,
      stderr: killedFor ? `${result.stderr}\n[dynaflow: ${killedFor}]` : result.stderr,
    };
  };
}

export async function runExecCall(state: RunState, call: ExecCallRequest): Promise<JsonValue> {
  const { cwd, timeoutMs } = readExecOptions(state.projectRoot, call.options, call.warn);
  const relativeCwd = path.relative(state.projectRoot, cwd) || '.';
  const callKey = call.keyOf(callHash({ kind: 'exec', command: call.command, cwd: relativeCwd }));
  const label = `exec: ${call.command.length > 40 ? `${call.command.slice(0, 39)}…` : call.command}`;
  const replayed = await replayCall(state, callKey, { kind: 'exec', label, phase: call.phase });
  if (replayed.found) return replayed.value;

  await state.checkCommand(call.command);
  const release = await state.scheduler.slots.acquire(0, state.signal);
  try {
    state.journal.startCall({
      runId: state.runId,
      callKey,
      kind: 'exec',
      label,
      phase: call.phase,
      model: null,
      prompt: call.command,
      optionsJson: JSON.stringify({ cwd: relativeCwd, timeoutMs }),
    });
    state.emit({ type: 'agent-start', callKey, kind: 'exec', label, phase: call.phase, model: null });
    const ran = await state.runCommand({
      command: call.command,
      cwd,
      workspace: state.projectRoot,
      timeoutMs,
      signal: state.signal,
    });
    // A key the command dug up (its base64, hex, reversed…) reaches neither the script, nor a
    // prompt built from the output, nor the journal; and a resume sees what the live run saw.
    const mask = state.maskKnownSecrets;
    const result = { ...ran, stdout: mask(ran.stdout), stderr: mask(ran.stderr) };
    const interrupted = state.signal.aborted;
    await state.journal.completeCall({
      runId: state.runId,
      callKey,
      status: interrupted ? 'interrupted' : 'done',
      resultJson: JSON.stringify(result),
      usage: ZERO_USAGE,
      costUsd: 0,
      attempts: 1,
      toolCalls: 0,
      error: interrupted ? 'interrupted' : null,
      worktree: null,
      branch: null,
    });
    state.counters.live += 1;
    state.emit({
      type: 'agent-end',
      callKey,
      kind: 'exec',
      label,
      phase: call.phase,
      status: interrupted ? 'interrupted' : 'done',
      reused: false,
      usage: ZERO_USAGE,
      error: null,
    });
    return result;
  } finally {
    release();
  }
}

function readExecOptions(
  projectRoot: string,
  value: JsonValue,
  warn: (message: string) => void,
): { cwd: string; timeoutMs: number } {
  let cwd = projectRoot;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, option] of Object.entries(value)) {
      if (key === 'cwd' && typeof option === 'string') {
        cwd = path.resolve(projectRoot, option);
        const relative = path.relative(projectRoot, cwd);
        if (relative.startsWith('..') || path.isAbsolute(relative)) {
          throw new ScriptError('PATH_OUTSIDE_WORKSPACE', `exec() cwd "${option}" is outside the project`, {
            hint: 'use a path inside the project directory',
          });
        }
      } else if (key === 'timeoutMs' && typeof option === 'number' && option > 0) {
        timeoutMs = option;
      } else {
        warn(`unknown or invalid exec() option "${key}" (ignored)`);
      }
    }
  }
  return { cwd, timeoutMs };
}
