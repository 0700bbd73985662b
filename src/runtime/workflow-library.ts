/**
 * Saved workflows, found by name: the project's `.dynaflow/workflows/` and `.claude/workflows/`,
 * then the personal `~/.dynaflow/workflows/` and `~/.claude/workflows/`, then the ones shipped
 * with dynaflow. The first match wins, so a trusted project can override a built-in; in a folder
 * the user has not trusted, the project's come last (`projectFirst: false`), so a cloned
 * repository cannot slip its own script under the name of a built-in one (`dynaflow review`).
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScriptError } from '../errors/index.js';
import { loadScript, type LoadedScript } from '../script/index.js';

const EXTENSIONS = ['.workflow.js', '.workflow.ts', '.js', '.ts'];

/** The `workflows/` folder shipped in the package. */
export const BUILT_IN_WORKFLOWS = fileURLToPath(new URL('../../workflows/', import.meta.url));

export interface WorkflowLookup {
  /** Whether the project's workflows win over personal and built-in ones of the same name (default true). */
  readonly projectFirst?: boolean;
}

export function workflowDirectories(
  projectRoot: string,
  homeDir: string = os.homedir(),
  lookup: WorkflowLookup = {},
): string[] {
  const project = [
    path.join(projectRoot, '.dynaflow', 'workflows'),
    path.join(projectRoot, '.claude', 'workflows'),
  ];
  const others = [
    path.join(homeDir, '.dynaflow', 'workflows'),
    path.join(homeDir, '.claude', 'workflows'),
    BUILT_IN_WORKFLOWS,
  ];
  return lookup.projectFirst === false ? [...others, ...project] : [...project, ...others];
}

export interface SavedWorkflow {
  readonly name: string;
  readonly path: string;
}

/** Every saved workflow, first occurrence of a name only. */
export function listSavedWorkflows(
  projectRoot: string,
  homeDir?: string,
  lookup: WorkflowLookup = {},
): SavedWorkflow[] {
  const found = new Map<string, SavedWorkflow>();
  for (const directory of workflowDirectories(projectRoot, homeDir, lookup)) {
    if (!existsSync(directory)) continue;
    for (const file of readdirSync(directory).sort()) {
      const extension = EXTENSIONS.find((candidate) => file.endsWith(candidate));
      if (!extension) continue;
      const name = file.slice(0, -extension.length);
      if (!found.has(name)) found.set(name, { name, path: path.join(directory, file) });
    }
  }
  return [...found.values()];
}

export function findSavedWorkflow(
  name: string,
  projectRoot: string,
  homeDir?: string,
  lookup: WorkflowLookup = {},
): string | undefined {
  for (const directory of workflowDirectories(projectRoot, homeDir, lookup)) {
    for (const extension of EXTENSIONS) {
      const candidate = path.join(directory, name + extension);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Resolves `workflow(nameOrRef)`: a saved name, or `{ scriptPath }` relative to the project. */
export async function resolveWorkflowReference(
  reference: string | { scriptPath: string },
  projectRoot: string,
): Promise<LoadedScript> {
  if (typeof reference === 'object') return loadScript(path.resolve(projectRoot, reference.scriptPath));
  const found = findSavedWorkflow(reference, projectRoot);
  if (!found) {
    throw new ScriptError('WORKFLOW_NOT_FOUND', `no saved workflow named "${reference}"`, {
      hint: `save it as .dynaflow/workflows/${reference}.workflow.js, or pass { scriptPath: "path/to/file.workflow.js" }`,
    });
  }
  return loadScript(found);
}
