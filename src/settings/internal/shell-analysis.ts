/**
 * Every simple command a shell command line could run, read from its syntax tree: pipelines,
 * lists, subshells, groups, `if`/`while`/`for`/`case` bodies, function bodies, command and
 * process substitutions, here-documents, and what wrappers (`env`, `xargs`, `bash -c`, `eval`,
 * `find -exec`, …) run in turn — recursively, to a bounded depth. What cannot be known without
 * running the command (a program name from a variable, `eval "$x"`, `curl … | sh`) is listed as
 * `unprovable`, so that a rule depending on it can refuse.
 */
import { seeThrough } from './command-wrappers.js';
import { parseShell, REDIRECT, shellNodeType, sourceOf, walkShell, type ShellNode } from './shell-syntax.js';
import { readWord, type WordReading } from './shell-words.js';

/** Larger commands are not analysed (rules that need to see them refuse them). */
export const MAX_ANALYSED_COMMAND_BYTES = 100 * 1024;
/** How deep `bash -c "eval '…'"` strings are parsed before the command is called unprovable. */
export const MAX_SHELL_NESTING = 8;

export interface SimpleCommand {
  /** Program first; quotes and backslashes removed; a word decided at run time has no value. */
  readonly words: readonly WordReading[];
  /** More arguments are appended at run time (`xargs rm`). */
  readonly openEnded: boolean;
  /** How the command reads in messages. */
  readonly text: string;
  /** It runs other commands, listed separately: `commands` (env, xargs, …) or `shell` (bash -c, eval). */
  readonly runs?: 'commands' | 'shell';
}

export interface UnprovableCommand {
  readonly text: string;
  readonly why: string;
}

export interface ShellAnalysis {
  readonly commands: readonly SimpleCommand[];
  readonly unprovable: readonly UnprovableCommand[];
  /** Contains `$(…)`, backticks, `<(…)` or `>(…)`. */
  readonly substitution: boolean;
  /** Output redirection to anything but `/dev/null` or a file descriptor. */
  readonly writesFiles: boolean;
  /** Variable assignments or declarations (`FOO=1 cmd`, `export X=1`). */
  readonly assignments: boolean;
  /** Why the command (or a `-c`/eval string inside it) could not be parsed. */
  readonly parseError?: string;
}

interface Collected {
  commands: SimpleCommand[];
  unprovable: UnprovableCommand[];
  substitution: boolean;
  writesFiles: boolean;
  assignments: boolean;
  parseError?: string;
}

const WRITING_REDIRECTS = new Set<number>([
  REDIRECT.output,
  REDIRECT.append,
  REDIRECT.readWrite,
  REDIRECT.clobber,
  REDIRECT.allOutput,
  REDIRECT.appendAllOutput,
]);

/**
 * @example
 * analyseShellCommand('echo f | xargs /bin/rm').commands.map((c) => c.text); // ['echo f', 'xargs /bin/rm', '/bin/rm']
 */
export function analyseShellCommand(command: string): ShellAnalysis {
  const collected: Collected = {
    commands: [],
    unprovable: [],
    substitution: false,
    writesFiles: false,
    assignments: false,
  };
  if (Buffer.byteLength(command) > MAX_ANALYSED_COMMAND_BYTES) {
    collected.parseError = `the command is longer than ${MAX_ANALYSED_COMMAND_BYTES / 1024} KiB, the most that is analysed`;
    return collected;
  }
  analyseSource(command, 0, undefined, collected);
  return collected;
}

function analyseSource(source: string, depth: number, via: string | undefined, into: Collected): void {
  if (depth > MAX_SHELL_NESTING) {
    into.unprovable.push({
      text: abbreviate(source),
      why: `shell strings (-c, eval) nest more than ${MAX_SHELL_NESTING} deep`,
    });
    return;
  }
  const parsed = parseShell(source);
  if (!parsed.ok) {
    into.parseError ??= via === undefined ? parsed.error : `in the string run by ${via}: ${parsed.error}`;
    return;
  }
  const bytes = Buffer.from(source);
  walkShell(parsed.file, (node) => {
    switch (shellNodeType(node)) {
      case 'CallExpr':
        visitCall(node, bytes, depth, into);
        break;
      case 'DeclClause':
      case 'LetClause':
        into.assignments = true;
        into.commands.push(declaration(node, bytes));
        break;
      case 'CmdSubst':
      case 'ProcSubst':
        into.substitution = true;
        break;
      case 'Redirect':
        if (writesFile(node)) into.writesFiles = true;
        break;
      default:
        break;
    }
    // Always descend: substitutions inside words, bodies of functions and loops are commands too.
    return true;
  });
}

function visitCall(node: ShellNode, bytes: Buffer, depth: number, into: Collected): void {
  if ((node.Assigns?.length ?? 0) > 0) into.assignments = true;
  const args = node.Args ?? [];
  const first = args[0];
  const last = args[args.length - 1];
  if (first === undefined || last === undefined) return;
  const text = bytes.subarray(first.Pos().Offset(), last.End().Offset()).toString('utf8');
  addCommand(args.map(readWord), text, false, depth, into);
}

function addCommand(
  words: readonly WordReading[],
  text: string,
  openEnded: boolean,
  depth: number,
  into: Collected,
): void {
  const program = words[0];
  if (program && !program.literal) {
    into.unprovable.push({ text, why: `the program name ${program.why}` });
    into.commands.push({ words, openEnded, text });
    return;
  }
  const through = seeThrough(words);
  into.commands.push({
    words,
    openEnded,
    text,
    ...(through && through.kind !== 'unprovable' ? { runs: through.kind } : {}),
  });
  if (through === undefined) return;
  if (through.kind === 'unprovable') {
    into.unprovable.push({ text, why: through.why });
  } else if (through.kind === 'commands') {
    for (const inner of through.commands) {
      addCommand(inner.words, wordsText(inner.words), openEnded || inner.openEnded, depth, into);
    }
  } else {
    analyseSource(through.source, depth + 1, through.via, into);
  }
}

/** `export A=1`, `local x`, `let i++`: builtins, shown as written so rules can name them. */
function declaration(node: ShellNode, bytes: Buffer): SimpleCommand {
  const text = sourceOf(bytes, node);
  const variant = typeof node.Variant?.Value === 'string' ? node.Variant.Value : (text.split(/\s/)[0] ?? '');
  const rest = text.slice(text.indexOf(variant) + variant.length).trim();
  const words: WordReading[] = [{ literal: true, value: variant }];
  if (rest !== '') words.push({ literal: false, why: 'declares variables' });
  return { words, openEnded: false, text };
}

function writesFile(redirect: ShellNode): boolean {
  const op = redirect.Op ?? 0;
  const target = readWord(redirect.Word);
  if (op === REDIRECT.duplicateOutput) {
    // `>&2`, `2>&1`, `>&-` duplicate or close descriptors; bash reads `>&file` as `&>file`.
    return !(target.literal && /^(\d+|-)$/.test(target.value));
  }
  if (!WRITING_REDIRECTS.has(op)) return false;
  return !(target.literal && target.value === '/dev/null');
}

function wordsText(words: readonly WordReading[]): string {
  return words.map((word) => (word.literal ? word.value : '…')).join(' ');
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
