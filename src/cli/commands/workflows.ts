/**
 * `dynaflow workflows` — the saved workflows this project can run by name: the project's
 * (`.dynaflow/workflows/`, `.claude/workflows/`), the personal ones (`~/.dynaflow/workflows/`,
 * `~/.claude/workflows/`) and the ones shipped with dynaflow, with description and whenToUse.
 */
import os from 'node:os';
import path from 'node:path';
import { DynaflowError, EXIT } from '../../errors/index.js';
import { BUILT_IN_WORKFLOWS, listSavedWorkflows, type WorkflowLookup } from '../../runtime/index.js';
import { loadScript } from '../../script/index.js';
import type { CliIo } from '../context.js';
import { homeOf, workflowLookup } from '../project-trust.js';

export interface WorkflowsFlags {
  readonly json?: boolean;
}

export interface WorkflowEntry {
  readonly name: string;
  readonly path: string;
  readonly origin: 'project' | 'personal' | 'built-in';
  readonly description: string | null;
  readonly whenToUse: string | null;
  /** Why the script cannot be loaded, if it cannot. */
  readonly error: string | null;
}

function originOf(file: string, projectRoot: string, homeDir: string): WorkflowEntry['origin'] {
  if (file.startsWith(path.resolve(BUILT_IN_WORKFLOWS))) return 'built-in';
  if (file.startsWith(path.resolve(projectRoot) + path.sep)) return 'project';
  if (file.startsWith(path.resolve(homeDir) + path.sep)) return 'personal';
  return 'project';
}

export async function listWorkflowEntries(
  projectRoot: string,
  homeDir = os.homedir(),
  lookup: WorkflowLookup = {},
): Promise<WorkflowEntry[]> {
  const entries: WorkflowEntry[] = [];
  for (const saved of listSavedWorkflows(projectRoot, homeDir, lookup)) {
    const origin = originOf(path.resolve(saved.path), projectRoot, homeDir);
    try {
      const script = await loadScript(saved.path);
      entries.push({
        name: saved.name,
        path: saved.path,
        origin,
        description: script.meta.description,
        whenToUse: script.meta.whenToUse ?? null,
        error: null,
      });
    } catch (error) {
      const reason = DynaflowError.isInstance(error) ? `${error.code}: ${error.message}` : String(error);
      entries.push({
        name: saved.name,
        path: saved.path,
        origin,
        description: null,
        whenToUse: null,
        error: reason,
      });
    }
  }
  return entries;
}

export async function workflowsCommand(
  io: CliIo,
  projectRoot: string,
  flags: WorkflowsFlags,
): Promise<number> {
  // Listed as a name would resolve: in a folder not trusted, built-in names are not shadowed.
  const entries = await listWorkflowEntries(projectRoot, homeOf(io), workflowLookup(io, projectRoot));
  if (flags.json) {
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
    return EXIT.done;
  }
  if (entries.length === 0) {
    io.stderr('no saved workflows (save one as .dynaflow/workflows/NAME.workflow.js)');
    return EXIT.done;
  }
  const width = Math.max(...entries.map((entry) => entry.name.length));
  for (const origin of ['project', 'personal', 'built-in'] as const) {
    const group = entries.filter((entry) => entry.origin === origin);
    if (group.length === 0) continue;
    io.stderr(`${origin}:`);
    for (const entry of group) {
      io.stderr(
        `  ${entry.name.padEnd(width)}  ${entry.description ?? `(cannot load: ${entry.error ?? '?'})`}`,
      );
      if (entry.whenToUse) io.stderr(`  ${' '.repeat(width)}  when: ${entry.whenToUse}`);
    }
  }
  io.stderr('run one with: dynaflow NAME [--args JSON]   (or: dynaflow run NAME)');
  return EXIT.done;
}
