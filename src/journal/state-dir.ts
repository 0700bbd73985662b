import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The folder, inside a project, that holds dynaflow's journal and run files. */
export const STATE_DIR_NAME = '.dynaflow';
export const JOURNAL_FILE_NAME = 'dynaflow.db';

/**
 * Where a project's journal lives: `override` (resolved against `cwd`) when given, else the
 * `.dynaflow` folder of the enclosing git work tree, else `cwd/.dynaflow`.
 *
 * A `.git` *file* counts too (linked worktrees and submodules have one), so a run started inside a
 * worktree keeps its state with that worktree. No `git` process is spawned: this runs on every
 * command.
 *
 * @example
 * resolveStateDir('/repo/packages/app')          // → '/repo/.dynaflow' when /repo/.git exists
 * resolveStateDir('/repo', 'tmp/state')          // → '/repo/tmp/state'
 */
export function resolveStateDir(cwd: string, override?: string): string {
  const start = resolve(cwd);
  if (override !== undefined && override !== '') return resolve(start, override);
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, '.git'))) return join(directory, STATE_DIR_NAME);
    if (dirname(directory) === directory) return join(start, STATE_DIR_NAME);
  }
}
