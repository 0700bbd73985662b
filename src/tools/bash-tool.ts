import type { AgentTool, ToolResult } from '../agent/types.js';
import { DEFAULT_OUTPUT_LIMIT, runShell, type CommandSandbox, type ShellResult } from '../shell/index.js';
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
  /** The run's OS sandbox (`src/shell`); absent, commands run unsandboxed. */
  readonly sandbox?: CommandSandbox;
}

/**
 * `Bash {command, timeout?}`: runs the command through the shell runner (`src/shell`): `bash -c`
 * in the workspace, inside the run's OS sandbox, with a scrubbed environment, in its own process
 * group so that a timeout or an abort kills everything it started, not just the shell.
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
      const result = await runShell({
        command,
        cwd: context.workspace,
        workspace: context.workspace,
        timeoutMs,
        signal: context.signal,
        outputLimit: limit,
        mergeStderr: true,
        ...(options.environment ? { environment: options.environment } : {}),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      });
      return describeResult(result, timeoutMs);
    },
  };
}

function describeResult(result: ShellResult, timeoutMs: number): ToolResult {
  if (result.startError !== undefined) {
    return result.stopped === 'abort'
      ? toolFailure('TOOL_FAILED', 'The command was aborted before it started.')
      : toolFailure('TOOL_FAILED', `Cannot run the command: ${result.startError}`);
  }
  const text = result.outputLength === 0 ? '(no output)' : result.stdout.replace(/\n$/, '');
  if (result.stopped === 'timeout') {
    return { content: `${text}\nCommand timed out after ${timeoutMs} ms and was killed.`, isError: true };
  }
  if (result.stopped === 'abort') return { content: `${text}\nCommand aborted.`, isError: true };
  if (result.exitCode !== 0) {
    return {
      content: `${text}\nExit code ${result.exitCode ?? `signal ${result.exitSignal ?? 'unknown'}`}`,
      isError: true,
    };
  }
  return { content: text };
}
