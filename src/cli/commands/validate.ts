/** `dynaflow validate FILE` — static checks, errors as `file:line:col message`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, UsageError } from '../../errors/index.js';
import { validateScript } from '../../script/index.js';
import { unknownAgentTypes } from '../agent-type-check.js';
import { findProjectRoot, type CliIo } from '../context.js';

export async function validateCommand(io: CliIo, file: string): Promise<number> {
  const absolute = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    throw new UsageError('SCRIPT_NOT_FOUND', `cannot read ${file}`, { hint: 'check the path' });
  }
  const checked = validateScript(text, file);
  const { errors } = checked;
  const typeWarnings = (await unknownAgentTypes(text, findProjectRoot(path.dirname(absolute)))).map(
    (warning) => ({ file, ...warning, severity: 'warning' as const }),
  );
  const warnings = [...checked.warnings, ...typeWarnings];
  for (const diagnostic of [...errors, ...warnings]) {
    const severity = diagnostic.severity === 'warning' ? 'warning: ' : '';
    io.stderr(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${severity}${diagnostic.message}`);
  }
  if (errors.length > 0) return EXIT.usage;
  io.stderr(
    `${file}: ok${warnings.length ? ` (${warnings.length} warning${warnings.length > 1 ? 's' : ''})` : ''}`,
  );
  return EXIT.done;
}
