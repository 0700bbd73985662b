import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';

import { LimitError, ScriptError, type ErrorCode, type SourceLocation } from '../../errors/index.js';
import { WRAPPER_PREFIX, originalColumn } from './wrap-source.js';

/** What the prelude reports about a value the script threw (see `describeThrow` in prelude.ts). */
export interface ThrowDescription {
  readonly isError: boolean;
  readonly name?: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  /** Set when the error is a host rejection: key into the session's table of original errors. */
  readonly ref?: number;
  /** True when the prelude itself created the error (its `code` can be trusted). */
  readonly own?: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The first stack frame that points into the script file. QuickJS frames look like
 * `    at fn (file.js:7:12)` or `    at file.js:7:12`; prelude frames name another file.
 */
export function locationInScript(stack: string | undefined, filename: string): SourceLocation | undefined {
  if (!stack) return undefined;
  const frame = new RegExp(`${escapeRegExp(filename)}:(\\d+)(?::(\\d+))?`);
  for (const line of stack.split('\n')) {
    const match = frame.exec(line);
    if (!match) continue;
    const lineNumber = Number(match[1]);
    const column = match[2] === undefined ? 1 : Number(match[2]);
    // A frame at the wrapper's own start says nothing about where in the script we were.
    if (lineNumber === 1 && column <= WRAPPER_PREFIX.length) return undefined;
    return { file: filename, line: lineNumber, column: originalColumn(lineNumber, column) };
  }
  return undefined;
}

function where(location: SourceLocation | undefined): string {
  return location ? ` (at ${location.file}:${location.line}:${location.column})` : '';
}

export function cpuLimitError(cpuMs: number, location: SourceLocation | undefined): ScriptError {
  return new ScriptError(
    'SANDBOX_CPU_LIMIT',
    `The script ran for more than ${cpuMs} ms without awaiting${where(location)}: an endless loop, or too much work between two awaits.`,
    {
      location,
      hint: 'Move heavy computation into an agent or exec(), or raise the sandbox cpuMsPerSlice limit.',
    },
  );
}

export function memoryLimitError(memoryBytes: number, location: SourceLocation | undefined): ScriptError {
  const mebibytes = Math.round((memoryBytes / (1024 * 1024)) * 10) / 10;
  return new ScriptError(
    'SANDBOX_MEMORY_LIMIT',
    `The script exhausted the sandbox's ${mebibytes} MiB of memory (or its stack)${where(location)}.`,
    {
      location,
      hint: 'Keep large data out of the script (let agents read files), or raise the memoryBytes limit.',
    },
  );
}

/** The arguments of the script's pending host calls would exceed its memory limit. */
export function heldArgumentsError(memoryBytes: number): ScriptError {
  const mebibytes = Math.round((memoryBytes / (1024 * 1024)) * 10) / 10;
  return new ScriptError(
    'SANDBOX_MEMORY_LIMIT',
    `The arguments of the script's pending agent/exec/workflow calls exceed the sandbox's ${mebibytes} MiB of memory.`,
    {
      hint: 'Pass large data by reference (a file path the agent reads), or raise the memoryBytes limit.',
    },
  );
}

export function cancelledError(): LimitError {
  return new LimitError('RUN_CANCELLED', 'The run was cancelled; the script was stopped.', {
    hint: 'Resume it with `dynaflow resume <id>`.',
  });
}

export function syntaxError(description: ThrowDescription, filename: string): ScriptError {
  const location = locationInScript(description.stack, filename);
  return new ScriptError('SCRIPT_SYNTAX', description.message, {
    location,
    hint: `Run \`dynaflow validate ${filename}\` to see every problem.`,
  });
}

/** Codes the prelude raises itself, with the error class each belongs to. */
const OWN_CODES: Partial<
  Record<string, (code: ErrorCode, message: string, location?: SourceLocation) => Error>
> = {
  NONDETERMINISM: (code, message, location) => new ScriptError(code, message, { location }),
  TOO_MANY_ITEMS: (code, message, location) => new LimitError(code, message, { location }),
};

/** Longest script error message kept: it is printed and journaled, and the script decides its size. */
export const MAX_ERROR_MESSAGE_CHARS = 64 * 1024;

function capMessage(message: string): string {
  if (message.length <= MAX_ERROR_MESSAGE_CHARS) return message;
  const kept = message.slice(0, MAX_ERROR_MESSAGE_CHARS);
  const cut = Buffer.byteLength(message, 'utf8') - Buffer.byteLength(kept, 'utf8');
  return `${kept}… (${cut.toLocaleString('en-US')} bytes cut)`;
}

/** An uncaught throw of the script's own (not a host rejection, not a limit). */
export function scriptThrowError(description: ThrowDescription, filename: string): Error {
  const location = locationInScript(description.stack, filename);
  const own = description.own && description.code !== undefined ? OWN_CODES[description.code] : undefined;
  if (own && description.code !== undefined)
    return own(description.code as ErrorCode, description.message, location);
  const what = description.isError ? (description.name ?? 'Error') : 'non-Error value';
  return new ScriptError('SCRIPT_THREW', capMessage(description.message), {
    location,
    hint: `The script threw a ${what}${where(location)} and did not catch it.`,
  });
}

export function stuckError(): ScriptError {
  return new ScriptError(
    'SCRIPT_THREW',
    'The script is waiting for a promise that nothing will ever settle (no agent, exec or workflow call is pending).',
    { hint: 'Check for a `new Promise` that never resolves, or an await on a value that is never set.' },
  );
}

export function unserialisableError(reason: string): ScriptError {
  return new ScriptError('SCRIPT_THREW', `The script's return value is not JSON-serialisable: ${reason}.`, {
    hint: 'Return plain data: objects, arrays, strings, numbers, booleans and null.',
  });
}

/** Reads what the VM threw (an exception handle) into a description, and disposes the handle. */
export function describeThrown(vm: QuickJSContext, handle: QuickJSHandle): ThrowDescription {
  try {
    const dumped = vm.dump(handle) as unknown;
    if (dumped !== null && typeof dumped === 'object') {
      const record = dumped as Record<string, unknown>;
      return {
        isError: typeof record['name'] === 'string',
        message: typeof record['message'] === 'string' ? record['message'] : JSON.stringify(record),
        ...(typeof record['name'] === 'string' ? { name: record['name'] } : {}),
        ...(typeof record['stack'] === 'string' ? { stack: record['stack'] } : {}),
      };
    }
    return { isError: false, message: String(dumped) };
  } finally {
    if (handle.alive) handle.dispose();
  }
}
