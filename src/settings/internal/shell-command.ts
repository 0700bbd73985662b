/**
 * A small, quote-aware reading of a shell command line: enough to check each simple command of
 * `a && b | c; d` against permission rules. It is deliberately conservative: anything it cannot
 * see through (command substitution, process substitution, backticks) is reported as `opaque`
 * so that callers can refuse instead of guessing.
 */
export interface ShellCommandShape {
  /** The simple commands, split on `&&`, `||`, `;`, `|`, `&` and newlines, trimmed, non-empty. */
  readonly commands: readonly string[];
  /** Contains `$(`, backticks, `<(` or `>(` outside single quotes. */
  readonly opaque: boolean;
  /** Output redirections (`>`, `>>`, `&>`) to anything other than `/dev/null` or a file descriptor. */
  readonly writesFiles: boolean;
}

export function readShellCommand(command: string): ShellCommandShape {
  const commands: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let opaque = false;
  let writesFiles = false;
  const flush = (): void => {
    const trimmed = current.trim();
    if (trimmed) commands.push(trimmed);
    current = '';
  };
  for (let index = 0; index < command.length; index++) {
    const char = command[index] ?? '';
    const next = command[index + 1] ?? '';
    if (char === '\\' && quote !== "'") {
      current += char + next;
      index++;
      continue;
    }
    if (quote) {
      if (char === quote) quote = undefined;
      else if (quote === '"' && (char === '`' || (char === '$' && next === '('))) opaque = true;
      current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      current += char;
      continue;
    }
    if (char === '`' || (char === '$' && next === '(') || ((char === '<' || char === '>') && next === '(')) {
      opaque = true;
    }
    if (char === '>' && next !== '(') {
      if (redirectsToFile(command, index)) writesFiles = true;
      current += char;
      continue;
    }
    if (char === ';' || char === '\n' || char === '|' || char === '&') {
      // `&>` and `>&` are redirections, not separators.
      if (char === '&' && (next === '>' || command[index - 1] === '>')) {
        current += char;
        continue;
      }
      flush();
      if ((char === '&' && next === '&') || (char === '|' && next === '|')) index++;
      continue;
    }
    current += char;
  }
  flush();
  return { commands, opaque, writesFiles };
}

/** Whether the `>` at `index` sends output to a real file (`/dev/null` and `>&2` are harmless). */
function redirectsToFile(command: string, index: number): boolean {
  let cursor = index + 1;
  if (command[cursor] === '>') cursor++;
  if (command[cursor] === '|') cursor++;
  if (command[cursor] === '&')
    return !/^&\d/.test(command.slice(cursor, cursor + 2)) && command[cursor + 1] !== '-';
  while (command[cursor] === ' ' || command[cursor] === '\t') cursor++;
  return !command.startsWith('/dev/null', cursor);
}

/** Splits one simple command into words, honouring quotes (no expansion is attempted). */
export function splitWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < command.length; index++) {
    const char = command[index] ?? '';
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < command.length)
        current += command[++index] ?? '';
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < command.length) {
      current += command[++index] ?? '';
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
