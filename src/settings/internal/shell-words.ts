/**
 * What one shell word becomes before the command runs, when that can be known without running
 * anything: quote removal, backslash removal and `$'…'` decoding on literal text. A word that
 * expands at run time (a variable, a substitution, arithmetic, a glob, a brace expansion) has no
 * value, only the reason why; rules that would have to see it refuse instead of guessing.
 */
import { shellNodeType, type ShellNode } from './shell-syntax.js';

export type WordReading =
  { readonly literal: true; readonly value: string } | { readonly literal: false; readonly why: string };

/** Why a word's value is decided at run time, by the part that makes it so. */
const DYNAMIC_PARTS: Readonly<Record<string, string>> = {
  ParamExp: 'comes from a variable',
  CmdSubst: 'comes from a command substitution',
  ArithmExp: 'comes from arithmetic expansion',
  ProcSubst: 'is a process substitution',
  ExtGlob: 'is a glob pattern',
  BraceExp: 'is a brace expansion',
};

/** Reads a `Word` node; `undefined` (a missing word) reads as the empty literal. */
export function readWord(word: ShellNode | null | undefined): WordReading {
  let value = '';
  // Brace expansion is decided over the unquoted text of the whole word: `{r,}m` is two words.
  let unquoted = '';
  for (const part of word?.Parts ?? []) {
    const type = shellNodeType(part);
    if (type === 'Lit') {
      const text = stringValue(part);
      const scanned = unescapeUnquoted(text);
      if (scanned.glob) return { literal: false, why: 'is a glob pattern' };
      value += scanned.value;
      unquoted += scanned.marked;
    } else if (type === 'SglQuoted') {
      const text = stringValue(part);
      if (part.Dollar) {
        const decoded = decodeAnsiC(text);
        if (decoded === undefined)
          return { literal: false, why: "uses a $'…' escape that is not decoded here" };
        value += decoded;
      } else value += text;
      unquoted += quotedMarker(text);
    } else if (type === 'DblQuoted') {
      let quoted = '';
      for (const inner of part.Parts ?? []) {
        const innerType = shellNodeType(inner);
        if (innerType !== 'Lit') return { literal: false, why: DYNAMIC_PARTS[innerType] ?? 'is not literal' };
        quoted += unescapeDoubleQuoted(stringValue(inner));
      }
      value += quoted;
      unquoted += quotedMarker(quoted);
    } else {
      return { literal: false, why: DYNAMIC_PARTS[type] ?? 'is not literal' };
    }
  }
  if (isBraceExpansion(unquoted)) return { literal: false, why: 'is a brace expansion' };
  return { literal: true, value };
}

function stringValue(node: ShellNode): string {
  return typeof node.Value === 'string' ? node.Value : '';
}

/**
 * Backslash removal outside quotes. `marked` keeps only the unescaped characters that brace
 * expansion looks at (`{`, `,`, `.`, `}`), with everything else as a neutral placeholder.
 */
function unescapeUnquoted(text: string): { value: string; marked: string; glob: boolean } {
  let value = '';
  let marked = '';
  let glob = false;
  let openBracket = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (char === '\\') {
      value += text[index + 1] ?? '';
      marked += '_';
      index++;
      continue;
    }
    if (char === '*' || char === '?') glob = true;
    // A lone `[` (the test command) is literal; `[ab]` is a pattern.
    if (char === '[') openBracket = true;
    if (char === ']' && openBracket) glob = true;
    value += char;
    marked += '{,.}'.includes(char) ? char : '_';
  }
  return { value, marked, glob };
}

function quotedMarker(text: string): string {
  return '_'.repeat(Math.max(1, text.length));
}

/** `{a,b}` and `{1..3}` expand; `{}` and `{x}` stay literal. */
function isBraceExpansion(marked: string): boolean {
  const open = marked.indexOf('{');
  if (open < 0) return false;
  const close = marked.indexOf('}', open);
  if (close < 0) return false;
  const inside = marked.slice(open + 1, close);
  return inside.includes(',') || inside.includes('..') || isBraceExpansion(marked.slice(open + 1));
}

/** Inside double quotes a backslash escapes only `$`, backquote, `"`, `\` and newline. */
function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_match, escaped: string) => (escaped === '\n' ? '' : escaped));
}

const ANSI_C_SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decodes bash's `$'…'` escapes; `undefined` for the rare ones (`\cX`) so callers stay strict. */
function decodeAnsiC(text: string): string | undefined {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = text[index + 1] ?? '';
    const simple = ANSI_C_SIMPLE[next];
    if (simple !== undefined) {
      out += simple;
      index++;
      continue;
    }
    const numeric = /^(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8}))/.exec(
      text.slice(index + 1),
    );
    if (!numeric) {
      if (next === 'c') return undefined;
      out += `\\${next}`;
      index++;
      continue;
    }
    const [whole, octal, hex, unicode, wide] = numeric;
    const code = octal ? parseInt(octal, 8) : parseInt(hex ?? unicode ?? wide ?? '0', 16);
    if (code > 0x10ffff) return undefined;
    out += String.fromCodePoint(code);
    index += whole.length;
  }
  return out;
}
