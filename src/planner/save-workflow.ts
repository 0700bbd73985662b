/**
 * Saving a script as a project command: `.dynaflow/workflows/<name>.workflow.js`, which
 * `dynaflow <name>`, `dynaflow run <name>` and `workflow('<name>')` then find.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SavedCommand {
  readonly name: string;
  readonly path: string;
  /** False when the same text was already saved under that name. */
  readonly written: boolean;
}

/**
 * Writes the script under its name; a different script already saved under that name is kept,
 * and this one gets `<name>-2`, `<name>-3`, …
 *
 * @example
 * const saved = saveWorkflowCommand(projectRoot, script.meta.name, script.text);
 * // then: dynaflow ${saved.name}
 */
export function saveWorkflowCommand(projectRoot: string, name: string, text: string): SavedCommand {
  const directory = path.join(projectRoot, '.dynaflow', 'workflows');
  mkdirSync(directory, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const candidate = attempt === 1 ? name : `${name}-${attempt}`;
    const file = path.join(directory, `${candidate}.workflow.js`);
    if (existsSync(file)) {
      if (readFileSync(file, 'utf8') === text) return { name: candidate, path: file, written: false };
      continue;
    }
    writeFileSync(file, text);
    return { name: candidate, path: file, written: true };
  }
}
