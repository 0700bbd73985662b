import { createRequire } from 'node:module';

interface Amaro {
  transformSync(code: string, options: { mode: 'strip-only'; filename?: string }): { code: string };
}

// amaro ships no types; it is loaded through require to keep its shape declared in one place.
// Loaded on the first TypeScript script only: a .js workflow never pays for the swc wasm.
let amaro: Amaro | undefined;
const loadAmaro = (): Amaro => (amaro ??= createRequire(import.meta.url)('amaro') as Amaro);

export interface StripFailure {
  readonly message: string;
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export type StripResult =
  { readonly ok: true; readonly code: string } | { readonly ok: false; readonly failure: StripFailure };

/**
 * Erases TypeScript types, replacing them with spaces so every position is unchanged.
 * Constructs that need code generation (enums, namespaces, parameter properties) are errors.
 */
export function stripTypes(code: string, file: string): StripResult {
  const asModule = tryStrip(code, file);
  if (asModule.ok) return asModule;
  // swc parses a module and refuses top-level `return`; retry as the body of an async function
  // opened on the same line (as the sandbox runs it), with `export` of meta blanked meanwhile.
  const exportAt = EXPORT_META.exec(code)?.[1]?.length;
  const body = exportAt === undefined ? code : `${code.slice(0, exportAt)}      ${code.slice(exportAt + 6)}`;
  const asBody = tryStrip(`${BODY_PREFIX}${body}${BODY_SUFFIX}`, file);
  if (!asBody.ok) {
    const { failure } = asBody;
    const column = failure.line === 1 ? Math.max(1, failure.column - BODY_PREFIX.length) : failure.column;
    return { ok: false, failure: { ...failure, column } };
  }
  const stripped = asBody.code.slice(BODY_PREFIX.length, asBody.code.length - BODY_SUFFIX.length);
  return {
    ok: true,
    code:
      exportAt === undefined
        ? stripped
        : `${stripped.slice(0, exportAt)}export${stripped.slice(exportAt + 6)}`,
  };
}

const BODY_PREFIX = 'async function __dynaflow_script__(){';
const BODY_SUFFIX = '\n}';
const EXPORT_META = /^((?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*)export\s+const\s+meta\b/;

function tryStrip(code: string, file: string): StripResult {
  try {
    return { ok: true, code: loadAmaro().transformSync(code, { mode: 'strip-only', filename: file }).code };
  } catch (error) {
    return { ok: false, failure: parseSwcReport(typeof error === 'string' ? error : String(error)) };
  }
}

/**
 * amaro throws swc's rendered report (a string), e.g.
 * ```
 *   x Expression expected
 *    ,-[3:1]
 *  2 | const b = 1;
 *  3 |  let q = 2 +;
 *    :             ^
 * ```
 * The message is the `x` line; the position is the caret under the numbered source line.
 */
export function parseSwcReport(report: string): StripFailure {
  const lines = report.split('\n');
  const headline = lines.find((line) => /^\s*x\s/.test(line));
  const message = (headline ?? lines[0] ?? 'TypeScript syntax error').replace(/^\s*x\s+/, '').trim();
  for (let i = 1; i < lines.length; i++) {
    const marker = lines[i] ?? '';
    if (!/^\s*:\s*\^/.test(marker)) continue;
    const source = /^(\s*(\d+)\s\|\s?)/.exec(lines[i - 1] ?? '');
    if (!source?.[1] || !source[2]) continue;
    const caret = marker.indexOf('^');
    return { message, line: Number(source[2]), column: Math.max(1, caret - source[1].length + 1) };
  }
  return { message, line: 1, column: 1 };
}
