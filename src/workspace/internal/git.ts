/**
 * Runs the git CLI without a shell. Every call disables hooks (an agent's worktree must not run
 * the user's post-checkout or pre-commit scripts), the file-system monitor (`core.fsmonitor` names
 * a command to run: an agent with Bash can set it), automatic gc (it would stall a commit for
 * seconds), and commit signing (it may prompt); messages are in English so they can be parsed.
 *
 * git runs with the scrubbed environment agents get: what an agent can still make git run (filter
 * or merge drivers it configures) then finds none of dynaflow's keys.
 */
import { execFile } from 'node:child_process';

import { scrubEnvironment } from '../../environment/index.js';
import { ToolError } from '../../errors/index.js';

const FIXED_CONFIG = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
  '-c',
  'commit.gpgSign=false',
  '-c',
  'core.quotePath=false',
  '-c',
  'advice.detachedHead=false',
];

/** Identity for dynaflow's own commits, so they work where no git identity is configured. */
export const COMMIT_IDENTITY = ['-c', 'user.name=dynaflow', '-c', 'user.email=dynaflow@localhost'];

/** Variables that would point git at another repository than the one we name. */
const REPOSITORY_OVERRIDES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

function gitEnvironment(): NodeJS.ProcessEnv {
  const scrubbed: NodeJS.ProcessEnv = {
    ...scrubEnvironment(process.env),
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
  };
  for (const name of REPOSITORY_OVERRIDES) delete scrubbed[name];
  return scrubbed;
}

/** Computed at the first git call, from the environment of that moment. */
let environment: NodeJS.ProcessEnv | undefined;

export interface GitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/**
 * Runs `git args` in `cwd`. Exit codes other than 0 (and those in `allowExitCodes`) become a
 * `ToolError` `WORKTREE_UNAVAILABLE` carrying git's own message.
 */
export function git(
  cwd: string,
  args: readonly string[],
  allowExitCodes: readonly number[] = [],
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...FIXED_CONFIG, ...args],
      { cwd, env: (environment ??= gitEnvironment()), maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (code === 0 || allowExitCodes.includes(code)) {
          resolve({ stdout, stderr, code });
          return;
        }
        const detail = (stderr || error?.message || '').trim();
        reject(
          new ToolError('WORKTREE_UNAVAILABLE', `git ${args.join(' ')} failed in ${cwd}: ${detail}`, {
            hint: 'Check that git works in this repository (git status) and that no other git process holds a lock.',
            cause: error,
          }),
        );
      },
    );
  });
}

/** The commit a ref names, or undefined when it does not exist. */
export async function resolveRef(cwd: string, ref: string): Promise<string | undefined> {
  const result = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], [1, 128]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await git(cwd, ['merge-base', '--is-ancestor', ancestor, descendant], [1]);
  return result.code === 0;
}
