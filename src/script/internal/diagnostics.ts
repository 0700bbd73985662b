import type { Diagnostic } from '../types.js';

/** Something with an acorn location (`locations: true`): 1-based line, 0-based column. */
export interface Located {
  readonly loc?: { readonly start: { readonly line: number; readonly column: number } } | null | undefined;
}

export function diagnosticAt(
  file: string,
  node: Located | undefined,
  severity: Diagnostic['severity'],
  code: string,
  message: string,
): Diagnostic {
  const start = node?.loc?.start;
  return { file, line: start?.line ?? 1, column: (start?.column ?? 0) + 1, message, severity, code };
}
