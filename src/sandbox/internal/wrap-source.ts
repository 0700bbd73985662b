/**
 * Turning a workflow file into the body of an async function without moving any character:
 * the wrapper opens on the first line (no newline), so every line number inside the VM equals the
 * line number in the user's file. Only columns on line 1 shift, by `WRAPPER_PREFIX.length`.
 */
export const WRAPPER_PREFIX = '(async function(){"use strict";';
export const WRAPPER_SUFFIX = '\n})';

// Leading whitespace and comments, then `export` + whitespace + `const meta`.
const EXPORT_META = /^((?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*)export(\s+const\s+meta\b)/;

/** Blanks what cannot live inside a function body, keeping every position. */
export function blankModuleSyntax(source: string): string {
  let text = source;
  // A shebang is legal only at the very start of a file.
  if (text.startsWith('#!')) {
    const end = text.indexOf('\n');
    text = ' '.repeat(end === -1 ? text.length : end) + (end === -1 ? '' : text.slice(end));
  }
  return text.replace(EXPORT_META, (_all, leading: string, rest: string) => `${leading}      ${rest}`);
}

export function wrapSource(source: string): string {
  return `${WRAPPER_PREFIX}${blankModuleSyntax(source)}${WRAPPER_SUFFIX}`;
}

/** Maps a column reported inside the wrapped code back to the user's file. */
export function originalColumn(line: number, column: number): number {
  return line === 1 ? Math.max(1, column - WRAPPER_PREFIX.length) : column;
}
