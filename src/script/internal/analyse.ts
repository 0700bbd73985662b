import { parse, type ObjectExpression, type Program } from 'acorn';
import type { Diagnostic, WorkflowMeta } from '../types.js';
import { checkAgentSchemas } from './agent-schemas.js';
import { diagnosticAt } from './diagnostics.js';
import { lintProgram } from './lint.js';
import { checkMeta, evaluateLiteral } from './meta-literal.js';
import { stripTypes } from './strip-types.js';

export const MAX_SCRIPT_BYTES = 512 * 1024;

export interface Analysis {
  readonly language: 'js' | 'ts';
  /** Present when the script parsed and its meta declaration was found. */
  readonly runnable?: string;
  readonly meta?: WorkflowMeta;
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
}

export function languageOf(file: string): 'js' | 'ts' {
  return /\.ts$/i.test(file) ? 'ts' : 'js';
}

const META_SHAPE = 'export const meta = { name: …, description: … }';

/** Replaces `[start, end)` with spaces, keeping line breaks, so positions do not move. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
}

function parseProgram(code: string, file: string, errors: Diagnostic[]): Program | undefined {
  try {
    return parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      locations: true,
    });
  } catch (error) {
    const syntax = error as SyntaxError & { loc?: { line: number; column: number } };
    const message = syntax.message.replace(/\s*\(\d+:\d+\)$/, '');
    errors.push({
      file,
      line: syntax.loc?.line ?? 1,
      column: (syntax.loc?.column ?? 0) + 1,
      message,
      severity: 'error',
      code: 'SCRIPT_SYNTAX',
    });
    return undefined;
  }
}

/** Finds `export const meta = {…}` as the first statement; reports every other import/export. */
function findMeta(
  program: Program,
  file: string,
  errors: Diagnostic[],
): { object: ObjectExpression; exportStart: number; declarationStart: number } | undefined {
  let found: ReturnType<typeof findMeta>;
  program.body.forEach((statement, index) => {
    if (statement.type === 'ImportDeclaration') {
      errors.push(
        diagnosticAt(
          file,
          statement,
          'error',
          'SCRIPT_SYNTAX',
          'workflow scripts cannot import; agents and exec touch the world.',
        ),
      );
      return;
    }
    const isExport =
      statement.type === 'ExportNamedDeclaration' ||
      statement.type === 'ExportDefaultDeclaration' ||
      statement.type === 'ExportAllDeclaration';
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : undefined;
    const declarator = declaration?.type === 'VariableDeclaration' ? declaration.declarations[0] : undefined;
    const isMeta =
      index === 0 &&
      declaration?.type === 'VariableDeclaration' &&
      declaration.kind === 'const' &&
      declaration.declarations.length === 1 &&
      declarator?.id.type === 'Identifier' &&
      declarator.id.name === 'meta';
    if (isMeta && declaration && declarator) {
      if (declarator.init?.type === 'ObjectExpression') {
        found = {
          object: declarator.init,
          exportStart: statement.start,
          declarationStart: declaration.start,
        };
      } else {
        errors.push(
          diagnosticAt(
            file,
            declarator.init ?? declarator,
            'error',
            'SCRIPT_META',
            'meta must be an object literal.',
          ),
        );
      }
      return;
    }
    if (isExport) {
      errors.push(
        diagnosticAt(
          file,
          statement,
          'error',
          'SCRIPT_SYNTAX',
          `only \`export const meta\` may be exported, as the first statement (${META_SHAPE}).`,
        ),
      );
    }
  });
  if (!found && !errors.some((error) => error.code === 'SCRIPT_META')) {
    errors.push(
      diagnosticAt(
        file,
        program.body[0],
        'error',
        'SCRIPT_META',
        `a workflow script must start with \`${META_SHAPE}\`.`,
      ),
    );
  }
  return found;
}

/** Everything `validate` and `load` need, collected without throwing. */
export function analyse(text: string, file: string): Analysis {
  const language = languageOf(file);
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SCRIPT_BYTES) {
    errors.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: 'SCRIPT_TOO_LARGE',
      message: `the script is ${Math.ceil(bytes / 1024)} KiB; the limit is ${MAX_SCRIPT_BYTES / 1024} KiB. Keep data out of the script: pass it through args or let agents read files.`,
    });
    return { language, errors, warnings };
  }
  let code = text;
  if (language === 'ts') {
    const stripped = stripTypes(text, file);
    if (!stripped.ok) {
      const { failure } = stripped;
      errors.push({
        file,
        line: failure.line,
        column: failure.column,
        message: failure.message,
        severity: 'error',
        code: 'SCRIPT_SYNTAX',
      });
      return { language, errors, warnings };
    }
    code = stripped.code;
  }
  const program = parseProgram(code, file, errors);
  if (!program) return { language, errors, warnings };

  const found = findMeta(program, file, errors);
  let meta: WorkflowMeta | undefined;
  if (found) {
    const collector = { file, errors, warnings };
    const before = errors.length;
    const value = evaluateLiteral(found.object, collector);
    if (value !== null && typeof value === 'object' && errors.length === before) {
      meta = checkMeta(found.object, value as Record<string, unknown>, collector);
    }
  }
  errors.push(...checkAgentSchemas(program, file));
  warnings.push(...lintProgram(program, meta, file));
  const runnable = found ? blank(code, found.exportStart, found.declarationStart) : undefined;
  return {
    language,
    errors,
    warnings,
    ...(runnable !== undefined ? { runnable } : {}),
    ...(meta ? { meta } : {}),
  };
}
