/**
 * What `dynaflow WORD …` means when WORD is no command: a saved workflow (or a script file) runs
 * with `run`; otherwise, with `"ultracode": true` in the settings, the words are a task for the
 * planner. Returns the argv to dispatch.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors/index.js';
import { ultracodeEnabled } from '../../planner/index.js';
import { findSavedWorkflow } from '../../runtime/index.js';
import type { CliIo } from '../context.js';
import { homeOf, workflowLookup } from '../project-trust.js';

export function defaultCommand(io: CliIo, projectRoot: string, words: readonly string[]): string[] {
  const [first = '', ...rest] = words;
  if (
    findSavedWorkflow(first, projectRoot, homeOf(io), workflowLookup(io, projectRoot)) ||
    (/\.(js|ts)$/.test(first) && existsSync(path.resolve(io.cwd, first)))
  ) {
    return ['run', first, ...rest];
  }
  if (ultracodeEnabled(projectRoot)) return ['ultracode', first, ...rest];
  throw new UsageError('USAGE', `"${first}" is neither a command nor a saved workflow`, {
    hint:
      'see the commands with: dynaflow --help · the saved workflows with: dynaflow workflows · ' +
      'to have a workflow planned for a task: dynaflow ultracode "TASK" (or set "ultracode": true in .dynaflow/settings.json)',
  });
}
