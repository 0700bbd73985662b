/**
 * The Bash commands an `Explore` (read-only) agent may run. An allowlist, not a denylist: a
 * command is read-only only when every simple command in it is known to change nothing, it has
 * no output redirection to a file, and no command substitution hides what really runs.
 */
import { readShellCommand, splitWords } from './internal/shell-command.js';

const PLAIN_READERS = new Set([
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'pwd',
  'echo',
  'printf',
  'tree',
  'file',
  'stat',
  'du',
  'df',
  'which',
  'type',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'diff',
  'cmp',
  'cut',
  'tr',
  'nl',
  'jq',
  'true',
  'false',
  'test',
  '[',
  'cd',
  'date',
  'uname',
]);

/** `find` actions that delete, write or run other programs. */
const FIND_WRITERS = new Set([
  '-delete',
  '-exec',
  '-execdir',
  '-ok',
  '-okdir',
  '-fprint',
  '-fprint0',
  '-fprintf',
  '-fls',
]);

const GIT_READERS = new Set([
  'log',
  'show',
  'diff',
  'status',
  'blame',
  'rev-parse',
  'ls-files',
  'ls-tree',
  'grep',
  'shortlog',
  'describe',
  'cat-file',
  'merge-base',
  'rev-list',
]);

const GIT_BRANCH_LISTING_FLAGS = new Set([
  '-a',
  '-r',
  '-v',
  '-vv',
  '--all',
  '--remotes',
  '--list',
  '--show-current',
  '--verbose',
]);

export interface ReadOnlyVerdict {
  readonly readOnly: boolean;
  /** Why the command is not read-only (for the model to read). */
  readonly reason?: string;
}

/**
 * Decides whether a shell command only reads.
 *
 * @example
 * isReadOnlyCommand('git log --oneline | head -5').readOnly; // true
 * isReadOnlyCommand('ls > out.txt').readOnly;               // false
 */
export function isReadOnlyCommand(command: string): ReadOnlyVerdict {
  const shape = readShellCommand(command);
  if (shape.opaque)
    return {
      readOnly: false,
      reason: 'command substitution ($(...), backticks) is not allowed in read-only mode',
    };
  if (shape.writesFiles)
    return { readOnly: false, reason: 'output redirection to a file is not allowed in read-only mode' };
  if (shape.commands.length === 0) return { readOnly: false, reason: 'empty command' };
  for (const simple of shape.commands) {
    const reason = whyNotReadOnly(splitWords(simple));
    if (reason) return { readOnly: false, reason: `\`${simple}\`: ${reason}` };
  }
  return { readOnly: true };
}

function whyNotReadOnly(words: string[]): string | undefined {
  const [program, ...rest] = words;
  if (program === undefined) return 'empty command';
  if (program.includes('=')) return 'environment assignments are not allowed in read-only mode';
  if (PLAIN_READERS.has(program)) return undefined;
  switch (program) {
    case 'find': {
      const writer = rest.find((word) => FIND_WRITERS.has(word));
      return writer ? `find ${writer} can change files` : undefined;
    }
    case 'rg':
      return rest.some((word) => word === '--pre' || word.startsWith('--pre='))
        ? 'rg --pre runs programs'
        : undefined;
    case 'sort':
      return rest.some((word) => word === '-o' || word.startsWith('--output'))
        ? 'sort -o writes a file'
        : undefined;
    case 'git':
      return whyGitNotReadOnly(rest);
    default:
      return `${program} is not on the read-only allowlist (ls, cat, head, tail, wc, find, grep, rg, git log/show/diff/status/blame, ...)`;
  }
}

function whyGitNotReadOnly(words: string[]): string | undefined {
  let index = 0;
  // Skip global options that only change where or how git looks.
  while (index < words.length) {
    const word = words[index] ?? '';
    if (word === '-C') index += 2;
    else if (word === '--no-pager' || word.startsWith('--git-dir=') || word.startsWith('--work-tree='))
      index++;
    else break;
  }
  const subcommand = words[index];
  const rest = words.slice(index + 1);
  if (subcommand === undefined) return 'git without a subcommand';
  if (rest.some((word) => word.startsWith('--output'))) return 'git --output writes a file';
  if (GIT_READERS.has(subcommand)) return undefined;
  if (subcommand === 'branch' && rest.every((word) => GIT_BRANCH_LISTING_FLAGS.has(word))) return undefined;
  return `git ${subcommand} is not read-only (allowed: ${[...GIT_READERS].join(', ')}, branch listing)`;
}
