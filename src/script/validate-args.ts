import type { ErrorObject } from 'ajv';
import { UsageError } from '../errors/index.js';
import { compileSchema } from './internal/schema-compiler.js';
import type { WorkflowMeta } from './types.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Bounds on `--args`: deeper or bigger JSON is refused before anything walks it recursively. */
export const ARGS_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 64 } as const;

/**
 * `--args` as the script gets it: JSON when it parses, else the raw string (as Claude Code passes
 * it). Its size is checked before parsing and its nesting after: a 3,000-deep array used to
 * overflow the stack further on ("internal error: RangeError").
 *
 * @throws UsageError `USAGE` naming `--args` and the limit.
 * @example
 * parseBoundedArgs('{"files":["a.ts"]}') // { files: ['a.ts'] }
 */
export function parseBoundedArgs(raw: string, limits = ARGS_LIMITS): unknown {
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > limits.maxBytes) {
    throw new UsageError(
      'USAGE',
      `--args is ${Math.ceil(bytes / 1024).toLocaleString('en-US')} KiB; the limit is ${limits.maxBytes / 1024} KiB.`,
      { hint: 'Pass a file path or a list of names in --args and let agents read the data.' },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
  if (nestedDeeperThan(parsed, limits.maxDepth)) {
    throw new UsageError('USAGE', `--args is nested more than ${limits.maxDepth} levels deep.`, {
      hint: 'Flatten the JSON passed with --args.',
    });
  }
  return parsed;
}

/** Iterative, so the check itself cannot overflow the stack it protects. */
function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** JSON pointer `/files/0/a b` → `args.files[0]["a b"]`. */
function argsPath(pointer: string, extra?: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  return segments.reduce((text, segment) => {
    if (/^\d+$/.test(segment)) return `${text}[${segment}]`;
    return IDENTIFIER.test(segment) ? `${text}.${segment}` : `${text}[${JSON.stringify(segment)}]`;
  }, 'args');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required')
    return `${argsPath(error.instancePath, String(params['missingProperty']))} is required`;
  if (error.keyword === 'additionalProperties') {
    return `${argsPath(error.instancePath, String(params['additionalProperty']))} is not allowed`;
  }
  return `${argsPath(error.instancePath)} ${error.message ?? 'is invalid'}`;
}

/**
 * Checks `args` against `meta.inputSchema` when both exist (no schema, or no args: nothing to check).
 *
 * @throws UsageError `ARGS_INVALID` naming each offending field path, e.g. `args.files must be array`.
 * @example
 * validateArgs(script.meta, { files: ['a.ts'] });
 */
export function validateArgs(meta: WorkflowMeta, args: unknown): void {
  // No args at all is the script's business (SPEC §1's example answers it with a top-level
  // return); the schema validates args when they are given.
  if (!meta.inputSchema || args === undefined) return;
  const validate = compileSchema(meta.inputSchema);
  if (validate(args)) return;
  const problems = (validate.errors ?? []).map(describe);
  const shown = problems.slice(0, 5).join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  throw new UsageError(
    'ARGS_INVALID',
    `args do not match the inputSchema of workflow ${meta.name}: ${shown}${more}.`,
    {
      hint: 'Pass --args with JSON that matches meta.inputSchema in the script.',
    },
  );
}
