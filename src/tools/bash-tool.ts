import { spawn } from 'node:child_process';

import type { AgentTool, ToolResult } from '../agent/types.js';
import { scrubEnvironment } from '../environment/index.js';
import { BoundedOutput, DEFAULT_OUTPUT_LIMIT } from './internal/output-limit.js';
import { parseToolInput } from './internal/tool-input.js';
import { toolFailure } from './internal/tool-result.js';

export const BASH_DEFAULT_TIMEOUT_MS = 120_000;
export const BASH_MAX_TIMEOUT_MS = 600_000;

export interface BashToolOptions {
  /** Output kept per command, in characters (head and tail). */
  readonly outputLimit?: number;
  /** The environment before scrubbing (default: this process's). */
  readonly environment?: NodeJS.ProcessEnv;
  /**
   * Checked before a command runs; a string is the reason for refusing it. `Explore` agents
   * use this to allow read-only commands only.
   */
  readonly guard?: (command: string) => string | undefined;
}

/**
 * `Bash {command, timeout?}`: runs `bash -c` in the workspace with a scrubbed environment.
 * The command runs in its own process group so that a timeout or an abort kills everything it
 * started, not just the shell.
 *
 * @example
 * await createBashTool().run({ command: 'npm test', timeout: 300_000 }, context);
 */
export function createBashTool(options: BashToolOptions = {}): AgentTool {
  const limit = options.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
  return {
    definition: {
      name: 'Bash',
      description:
        'Runs a bash command in the workspace directory and returns its combined stdout and stderr and its exit code. ' +
        `timeout is in milliseconds (default ${BASH_DEFAULT_TIMEOUT_MS}, max ${BASH_MAX_TIMEOUT_MS}). Output longer than ` +
        `${limit} characters keeps its beginning and end. Nobody can answer prompts: use non-interactive flags. ` +
        'Credentials are not in the environment.',
      inputSchema: {
        type: 'object',
        properties: {
          command: { type: 'string', description: 'The command to run.' },
          timeout: { type: 'number', description: `Timeout in milliseconds (max ${BASH_MAX_TIMEOUT_MS}).` },
          description: { type: 'string', description: 'What the command does, in a few words.' },
        },
        required: ['command'],
        additionalProperties: false,
      },
    },
    readOnly: false,
    async run(input, context) {
      const parsed = parseToolInput('Bash', input, {
        command: { type: 'string', required: true },
        timeout: { type: 'number' },
      });
      if (!parsed.ok) return parsed.result;
      const command = parsed.value.command as string;
      if (command.trim() === '') return toolFailure('TOOL_INPUT_INVALID', 'Bash: the command is empty.');
      const refusal = options.guard?.(command);
      if (refusal !== undefined) return toolFailure('PERMISSION_DENIED', refusal);
      const requested = (parsed.value.timeout as number | undefined) ?? BASH_DEFAULT_TIMEOUT_MS;
      const timeoutMs = Math.min(Math.max(1, Math.floor(requested)), BASH_MAX_TIMEOUT_MS);
      return runCommand(command, {
        cwd: context.workspace,
        environment: scrubEnvironment(options.environment ?? process.env),
        timeoutMs,
        signal: context.signal,
        limit,
      });
    },
  };
}

interface RunOptions {
  readonly cwd: string;
  readonly environment: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly limit: number;
}

function runCommand(command: string, options: RunOptions): Promise<ToolResult> {
  if (options.signal.aborted)
    return Promise.resolve(toolFailure('TOOL_FAILED', 'The command was aborted before it started.'));
  return new Promise((resolve) => {
    const output = new BoundedOutput(options.limit);
    let stopped: 'timeout' | 'abort' | undefined;
    const child = spawn('bash', ['-c', command], {
      cwd: options.cwd,
      env: options.environment,
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
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = (): void => stop('abort');
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => output.append(chunk));
    child.stderr.on('data', (chunk: string) => output.append(chunk));
    // Background jobs (`server &`) keep the pipes open after bash exits: end them with the shell.
    child.on('exit', killGroup);
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(toolFailure('TOOL_FAILED', `Cannot start bash: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      const text = output.length === 0 ? '(no output)' : output.toString().replace(/\n$/, '');
      if (stopped === 'timeout') {
        resolve({
          content: `${text}\nCommand timed out after ${options.timeoutMs} ms and was killed.`,
          isError: true,
        });
      } else if (stopped === 'abort') {
        resolve({ content: `${text}\nCommand aborted.`, isError: true });
      } else if (code !== 0) {
        resolve({ content: `${text}\nExit code ${code ?? `signal ${signal ?? 'unknown'}`}`, isError: true });
      } else {
        resolve({ content: text });
      }
    });
  });
}
