/**
 * Programs that run another program: `env rm f` runs `rm`, `xargs rm` runs `rm`, `bash -c "rm f"`
 * runs the shell source `rm f`. A deny rule on `rm` must see through them; so must the read-only
 * allowlist. Each wrapper's options are skipped the way the wrapper itself reads them, so that
 * the word found is the program it will really run. A wrapper whose options or program we cannot
 * read literally is `unprovable`: the caller refuses when a rule depends on it.
 *
 * Not seen through (a documented limit, see src/settings/README.md): programs that run code in
 * another language (`awk 'BEGIN{system(…)}'`, `python -c`, `perl -e`), `ssh`, `watch`, `parallel`,
 * `flock`, git aliases. The OS sandbox is the boundary; rules are a guard rail.
 */
import type { WordReading } from './shell-words.js';

export interface InnerCommand {
  readonly words: readonly WordReading[];
  /** Arguments are appended at run time (`xargs rm`, `find -exec rm {} +`). */
  readonly openEnded: boolean;
}

export type SeeThrough =
  | { readonly kind: 'commands'; readonly commands: readonly InnerCommand[] }
  | { readonly kind: 'shell'; readonly source: string; readonly via: string }
  | { readonly kind: 'unprovable'; readonly why: string };

/** The program a literal command word names, without its directory: `/bin/rm` → `rm`. */
export function programName(word: WordReading | undefined): string | undefined {
  if (!word?.literal) return undefined;
  const slash = word.value.lastIndexOf('/');
  return slash < 0 ? word.value : word.value.slice(slash + 1);
}

/** Shells whose `-c` string is shell source we can parse (their syntax is close enough to bash's). */
export const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'rbash', 'busybox-sh']);

interface OptionGrammar {
  /** Options that take a value: as the next word, or attached (`-uroot`, `--user=root`). */
  readonly withValue?: readonly string[];
  /** Words between the options and the program (timeout's duration, chroot's directory). */
  readonly positionals?: number;
  /** `NAME=value` words before the program (env). */
  readonly assignments?: boolean;
}

const SIMPLE_WRAPPERS: Readonly<Record<string, OptionGrammar>> = {
  builtin: {},
  exec: { withValue: ['-a'] },
  nohup: {},
  setsid: {},
  busybox: {},
  nice: { withValue: ['-n', '--adjustment'] },
  time: { withValue: ['-f', '--format', '-o', '--output'] },
  timeout: { withValue: ['-s', '--signal', '-k', '--kill-after'], positionals: 1 },
  stdbuf: { withValue: ['-i', '--input', '-o', '--output', '-e', '--error'] },
  ionice: { withValue: ['-c', '--class', '-n', '--classdata', '-p', '--pid', '-P', '--pgid', '-u', '--uid'] },
  chroot: { withValue: ['--userspec', '--groups'], positionals: 1 },
  doas: { withValue: ['-u', '-C'] },
};

const SUDO: OptionGrammar = {
  withValue: [
    ...['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host'],
    ...['-p', '--prompt', '-r', '--role', '-t', '--type', '-T', '--command-timeout', '-U', '--other-user'],
    ...['-R', '--chroot'],
  ],
};

const ENV: OptionGrammar = {
  withValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'],
  assignments: true,
};

const XARGS: OptionGrammar = {
  withValue: [
    ...['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '-n', '--max-args'],
    ...['-P', '--max-procs', '-s', '--max-chars', '--process-slot-var'],
  ],
};

const FIND_RUNNERS = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/**
 * What a command runs besides itself, or `undefined` when it runs nothing else.
 *
 * @example
 * seeThrough(words('env -i FOO=1 rm f')); // { kind: 'commands', commands: [{ words: rm f, … }] }
 */
export function seeThrough(words: readonly WordReading[]): SeeThrough | undefined {
  const program = programName(words[0]);
  if (program === undefined) return undefined;
  if (SHELLS.has(program)) return shellSource(program, words);
  const simple = SIMPLE_WRAPPERS[program];
  if (simple) return innerAfterOptions(program, words, simple);
  switch (program) {
    case 'command': {
      const options = readOptions(program, words, {});
      if ('why' in options) return { kind: 'unprovable', why: options.why };
      // `command -v rm` only looks the name up.
      if (options.flags.some((flag) => flag === '-v' || flag === '-V')) return undefined;
      return commandsFrom(words.slice(options.index), false);
    }
    case 'env': {
      const options = readOptions(program, words, ENV);
      if ('why' in options) return { kind: 'unprovable', why: options.why };
      if (options.flags.some((flag) => flag === '-S' || flag === '--split-string')) {
        return { kind: 'unprovable', why: 'env -S splits a string into a command line' };
      }
      return commandsFrom(words.slice(options.index), false);
    }
    case 'sudo': {
      const options = readOptions(program, words, SUDO);
      if ('why' in options) return { kind: 'unprovable', why: options.why };
      if (options.flags.some((flag) => ['-e', '--edit', '-l', '--list'].includes(flag))) return undefined;
      if (
        options.index >= words.length &&
        options.flags.some((flag) => /^(-s|-i|--shell|--login)$/.test(flag))
      ) {
        return { kind: 'unprovable', why: 'sudo -s/-i starts a shell that reads commands from its input' };
      }
      return commandsFrom(words.slice(options.index), false);
    }
    case 'xargs': {
      const options = readOptions(program, words, XARGS);
      if ('why' in options) return { kind: 'unprovable', why: options.why };
      const inner = words.slice(options.index);
      // Without a program, xargs runs echo.
      return commandsFrom(inner.length > 0 ? inner : [{ literal: true, value: 'echo' }], true);
    }
    case 'find':
      return findCommands(words);
    case 'su':
      return suSource(words);
    case 'eval':
      return evalSource(words);
    case 'trap':
      return trapSource(words);
    case 'source':
    case '.': {
      const file = words[1];
      return file && !file.literal
        ? { kind: 'unprovable', why: `the file ${program} reads ${file.why}` }
        : undefined;
    }
    case 'alias':
      return words.slice(1).some((word) => !word.literal || word.value.includes('='))
        ? { kind: 'unprovable', why: 'alias can make one name run another program' }
        : undefined;
    case 'hash':
    case 'enable':
      return words.some((word) => !word.literal || /^-\w*[pf]/.test(word.value))
        ? { kind: 'unprovable', why: `${program} -p/-f can make a name run another program` }
        : undefined;
    default:
      return undefined;
  }
}

function innerAfterOptions(
  program: string,
  words: readonly WordReading[],
  grammar: OptionGrammar,
): SeeThrough | undefined {
  const options = readOptions(program, words, grammar);
  if ('why' in options) return { kind: 'unprovable', why: options.why };
  // busybox --list and friends run no applet.
  if (program === 'busybox' && options.flags.length > 0) return undefined;
  return commandsFrom(words.slice(options.index), false);
}

function commandsFrom(words: readonly WordReading[], openEnded: boolean): SeeThrough | undefined {
  return words.length === 0 ? undefined : { kind: 'commands', commands: [{ words, openEnded }] };
}

type ReadOptions = { readonly index: number; readonly flags: readonly string[] } | { readonly why: string };

/** Skips a wrapper's options the way getopt would; a non-literal word there could be anything. */
function readOptions(program: string, words: readonly WordReading[], grammar: OptionGrammar): ReadOptions {
  const withValue = new Set(grammar.withValue ?? []);
  const flags: string[] = [];
  let index = 1;
  while (index < words.length) {
    const word = words[index];
    if (!word?.literal) return { why: `an option of ${program} ${word?.why ?? 'is missing'}` };
    const value = word.value;
    if (value === '--') {
      index++;
      break;
    }
    if (grammar.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      index++;
      continue;
    }
    if (!value.startsWith('-') || value === '-') break;
    if (value.startsWith('--')) {
      const name = value.split('=')[0] ?? value;
      flags.push(name);
      index += withValue.has(name) && !value.includes('=') ? 2 : 1;
      continue;
    }
    index += shortClusterLength(value, withValue, flags);
  }
  for (let positional = 0; positional < (grammar.positionals ?? 0); positional++, index++) {
    const word = words[index];
    if (word && !word.literal) return { why: `an argument of ${program} ${word.why}` };
  }
  return { index, flags };
}

/** `-abc`: each letter a flag; a letter that takes a value ends the cluster (`-n5`, or `-n 5`). */
function shortClusterLength(cluster: string, withValue: ReadonlySet<string>, flags: string[]): number {
  for (let position = 1; position < cluster.length; position++) {
    const flag = `-${cluster[position] ?? ''}`;
    flags.push(flag);
    if (withValue.has(flag)) return position === cluster.length - 1 ? 2 : 1;
  }
  return 1;
}

/** `bash -c 'source'`, `bash script.sh`, or a shell reading its input (`… | sh`). */
function shellSource(program: string, words: readonly WordReading[]): SeeThrough | undefined {
  let index = 1;
  let commandString = false;
  let readsInput = false;
  while (index < words.length) {
    const word = words[index];
    if (!word?.literal) {
      return { kind: 'unprovable', why: `what ${program} runs (an option or its script) ${word?.why ?? ''}` };
    }
    const value = word.value;
    if (value === '--' || value === '-') {
      index++;
      break;
    }
    if (value.startsWith('--')) {
      index += value === '--rcfile' || value === '--init-file' ? 2 : 1;
      continue;
    }
    if (!/^[-+]./.test(value)) break;
    const letters = value.slice(1);
    if (value.startsWith('-') && letters.includes('c')) commandString = true;
    if (value.startsWith('-') && letters.includes('s')) readsInput = true;
    index += /[oO]/.test(letters) ? 2 : 1;
  }
  if (commandString) {
    const source = words[index];
    if (source === undefined) return undefined;
    if (!source.literal)
      return { kind: 'unprovable', why: `the command string of ${program} -c ${source.why}` };
    return { kind: 'shell', source: source.value, via: `${program} -c` };
  }
  const script = words[index];
  if (readsInput || script === undefined) {
    return {
      kind: 'unprovable',
      why: `${program} reads the commands it runs from its input (a pipe or a redirection), which cannot be checked`,
    };
  }
  // A script file is a program like any other; only a name decided at run time is unprovable.
  return script.literal ? undefined : { kind: 'unprovable', why: `the script ${program} runs ${script.why}` };
}

function suSource(words: readonly WordReading[]): SeeThrough {
  for (let index = 1; index < words.length; index++) {
    const word = words[index];
    if (!word?.literal) continue;
    const attached = word.value.startsWith('--command=') ? word.value.slice('--command='.length) : undefined;
    if (attached === undefined && word.value !== '-c' && word.value !== '--command') continue;
    const source: WordReading | undefined =
      attached !== undefined ? { literal: true, value: attached } : words[index + 1];
    if (source === undefined) break;
    if (!source.literal) return { kind: 'unprovable', why: `the command string of su -c ${source.why}` };
    return { kind: 'shell', source: source.value, via: 'su -c' };
  }
  return { kind: 'unprovable', why: 'su without -c starts a shell that reads commands from its input' };
}

function evalSource(words: readonly WordReading[]): SeeThrough | undefined {
  const parts: string[] = [];
  for (const word of words.slice(1)) {
    if (!word.literal) return { kind: 'unprovable', why: `the input of eval ${word.why}` };
    parts.push(word.value);
  }
  return parts.length === 0 ? undefined : { kind: 'shell', source: parts.join(' '), via: 'eval' };
}

/** `trap 'action' SIGNAL…`: the action is shell source run later. */
function trapSource(words: readonly WordReading[]): SeeThrough | undefined {
  const first = words[1];
  if (first?.literal && /^-[lp]$/.test(first.value)) return undefined;
  const index = first?.literal && first.value === '--' ? 2 : 1;
  const action = words[index];
  if (action === undefined) return undefined;
  if (!action.literal) return { kind: 'unprovable', why: `the action of trap ${action.why}` };
  if (action.value === '' || action.value === '-' || words.length === index + 1) return undefined;
  return { kind: 'shell', source: action.value, via: 'trap' };
}

/** `find … -exec prog args {} ;` runs prog once per file (or batched with `+`). */
function findCommands(words: readonly WordReading[]): SeeThrough | undefined {
  const commands: InnerCommand[] = [];
  for (let index = 1; index < words.length; index++) {
    const word = words[index];
    // A word decided at run time could itself be `-exec` followed by a command.
    if (!word?.literal) return { kind: 'unprovable', why: `an argument of find ${word?.why ?? ''}` };
    if (!FIND_RUNNERS.has(word.value)) continue;
    const inner: WordReading[] = [];
    let end = index + 1;
    for (; end < words.length; end++) {
      const innerWord = words[end];
      if (innerWord?.literal && (innerWord.value === ';' || innerWord.value === '+')) break;
      if (innerWord === undefined) break;
      inner.push(
        innerWord.literal && innerWord.value.includes('{}')
          ? { literal: false, why: 'is a file name that find substitutes' }
          : innerWord,
      );
    }
    if (inner.length > 0) commands.push({ words: inner, openEnded: false });
    index = end;
  }
  return commands.length === 0 ? undefined : { kind: 'commands', commands };
}
