/**
 * Turns a `JSON.parse` failure into a line and column a person can jump to. V8 reports a
 * character offset ("at position N") for most syntax errors, and nothing for a truncated file.
 */
export interface JsonFailure {
  readonly line: number;
  readonly column: number;
  readonly problem: string;
}

export function parseJsonWithLocation(
  text: string,
): { ok: true; value: unknown } | { ok: false; failure: JsonFailure } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /at position (\d+)/.exec(message);
    // A truncated document fails at its very end.
    const offset = match ? Number(match[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    const problem = message
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/,? ".*" is not valid JSON$/s, '');
    return { ok: false, failure: { line, column, problem } };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = 0; index < end; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
