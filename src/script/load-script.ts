import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ScriptError, UsageError, type ErrorCode } from '../errors/index.js';
import { MAX_SCRIPT_BYTES, analyse } from './internal/analyse.js';
import type { Diagnostic, LoadedScript } from './types.js';

const SCRIPT_FILE = /\.(workflow\.)?(js|ts)$/i;

function toError(first: Diagnostic, total: number): ScriptError {
  const more = total > 1 ? ` (${total - 1} more problem${total > 2 ? 's' : ''})` : '';
  return new ScriptError(first.code as ErrorCode, first.message, {
    location: { file: first.file, line: first.line, column: first.column },
    hint: `Run \`dynaflow validate ${first.file}\` to see every problem${more}.`,
  });
}

/**
 * Parses and checks a workflow script given as text. `file` names it in errors and decides the
 * language (`.ts` → TypeScript, types stripped).
 *
 * @throws ScriptError `SCRIPT_SYNTAX`, `SCRIPT_META` or `SCRIPT_TOO_LARGE`, located at `file:line:col`.
 * @example
 * const script = parseScript("export const meta = { name: 'x', description: 'y' }\nreturn 1", 'x.workflow.js');
 * script.meta.name; // 'x'
 */
export function parseScript(text: string, file: string): LoadedScript {
  const analysis = analyse(text, file);
  const first = analysis.errors[0];
  if (first) throw toError(first, analysis.errors.length);
  if (analysis.meta === undefined || analysis.runnable === undefined) {
    throw new ScriptError('SCRIPT_META', 'the script has no usable meta', {
      location: { file, line: 1, column: 1 },
    });
  }
  return {
    path: file,
    text,
    hash: createHash('sha256').update(text).digest('hex'),
    language: analysis.language,
    meta: analysis.meta,
    runnable: analysis.runnable,
    warnings: analysis.warnings,
  };
}

/**
 * Every problem of a script, for `dynaflow validate` and the planner. Never throws for a bad script.
 *
 * @example
 * const { errors, warnings } = validateScript(text, 'triage.workflow.js');
 * for (const d of errors) console.error(`${d.file}:${d.line}:${d.column} ${d.message}`);
 */
export function validateScript(text: string, file: string): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const { errors, warnings } = analyse(text, file);
  return { errors, warnings };
}

/**
 * Reads and parses a workflow file (`NAME.workflow.js|.workflow.ts|.js|.ts`). Diagnostics name
 * the path as given; `LoadedScript.path` is absolute.
 *
 * @throws ScriptError `SCRIPT_NOT_FOUND` (with a hint), `SCRIPT_TOO_LARGE`, or what {@link parseScript} throws.
 * @example
 * const script = await loadScript('workflows/triage.workflow.js');
 */
export async function loadScript(file: string): Promise<LoadedScript> {
  if (!SCRIPT_FILE.test(file)) {
    throw new UsageError(
      'USAGE',
      `${file} is not a workflow script: workflow files end in .workflow.js, .workflow.ts, .js or .ts.`,
    );
  }
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isFile()) {
    throw new ScriptError('SCRIPT_NOT_FOUND', `no workflow script at ${file} (looked for ${absolute}).`, {
      hint: 'Check the path, relative to the current directory. Saved workflows run by name (`dynaflow NAME`); `dynaflow workflows` lists them.',
    });
  }
  if (info.size > MAX_SCRIPT_BYTES) {
    throw new ScriptError(
      'SCRIPT_TOO_LARGE',
      `${file} is ${Math.ceil(info.size / 1024)} KiB; the limit is ${MAX_SCRIPT_BYTES / 1024} KiB.`,
      {
        location: { file, line: 1, column: 1 },
        hint: 'Keep data out of the script: pass it through args or let agents read files.',
      },
    );
  }
  const text = await readFile(absolute, 'utf8');
  return { ...parseScript(text, file), path: absolute };
}
