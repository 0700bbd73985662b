/**
 * The Bash commands an `Explore` (read-only) agent may run. An allowlist, not a denylist: a
 * command is read-only only when every simple command it could run (read from its syntax tree,
 * wrappers such as `env`, `xargs`, `bash -c` and `eval` seen through) is known to change nothing,
 * it has no output redirection to a file, and nothing hides what really runs.
 */
import { programName, SHELLS } from './internal/command-wrappers.js';
import { analyseShellCommand, type SimpleCommand } from './internal/shell-analysis.js';

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
  if (command.trim() === '') return { readOnly: false, reason: 'empty command' };
  const analysis = analyseShellCommand(command);
  if (analysis.parseError !== undefined) {
    return { readOnly: false, reason: `the command cannot be parsed: ${analysis.parseError}` };
  }
  if (analysis.substitution)
    return {
      readOnly: false,
      reason: 'command substitution ($(...), backticks, <(...)) is not allowed in read-only mode',
    };
  if (analysis.writesFiles)
    return { readOnly: false, reason: 'output redirection to a file is not allowed in read-only mode' };
  if (analysis.assignments)
    return { readOnly: false, reason: 'environment assignments are not allowed in read-only mode' };
  const unprovable = analysis.unprovable[0];
  if (unprovable) {
    return { readOnly: false, reason: `\`${unprovable.text}\`: cannot tell what runs: ${unprovable.why}` };
  }
  if (analysis.commands.length === 0) return { readOnly: false, reason: 'empty command' };
  for (const simple of analysis.commands) {
    const reason = whyNotReadOnly(simple);
    if (reason) return { readOnly: false, reason: `\`${simple.text}\`: ${reason}` };
  }
  return { readOnly: true };
}

/**
 * Wrappers that change nothing themselves; what they run is listed (and checked) separately.
 * `sudo`, `doas` and `su` are not here: a read-only agent has no business changing identity.
 */
const TRANSPARENT_WRAPPERS = new Set([
  'command',
  'builtin',
  'exec',
  'env',
  'nice',
  'nohup',
  'time',
  'timeout',
  'stdbuf',
  'xargs',
  'eval',
]);

function whyNotReadOnly(simple: SimpleCommand): string | undefined {
  const program = programName(simple.words[0]);
  if (program === undefined) return 'the program name is decided at run time';
  if (simple.runs === 'shell' && (SHELLS.has(program) || program === 'eval')) return undefined;
  if (simple.runs === 'commands' && TRANSPARENT_WRAPPERS.has(program)) {
    return program === 'env' && simple.words.some((word) => word.literal && /^[A-Za-z_]\w*=/.test(word.value))
      ? 'environment assignments are not allowed in read-only mode'
      : undefined;
  }
  if (PLAIN_READERS.has(program)) return undefined;
  const rest: string[] = [];
  for (const word of simple.words.slice(1)) {
    // find, git, rg and sort change behaviour with their options: those must be literal.
    if (!word.literal) return `an argument of ${program} ${word.why}`;
    rest.push(word.value);
  }
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
