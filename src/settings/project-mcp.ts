/**
 * The project's `.mcp.json` (Claude Code's project-scoped MCP servers), with Claude Code's rules:
 * a server listed there starts only once the user has approved it in their settings
 * (`enableAllProjectMcpServers`, `enabledMcpjsonServers`; `disabledMcpjsonServers` wins), since a
 * cloned repository must not be able to run commands just by being opened. `${VAR}` and
 * `${VAR:-default}` in its strings are expanded from the environment.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { UsageError } from '../errors/index.js';
import { isRecord, lineAndColumn, parseJsonWithLocation } from './internal/json-location.js';

export const PROJECT_MCP_FILE = '.mcp.json';

/** What the settings files say about `.mcp.json` servers. */
export interface ProjectMcpApproval {
  readonly enableAll: boolean;
  readonly enabled: readonly string[];
  readonly disabled: readonly string[];
}

export interface ProjectMcpServers {
  /** Approved servers, by name, with their variables expanded. */
  readonly servers: Readonly<Record<string, unknown>>;
  /** Servers of `.mcp.json` that no setting approves (they do not start; the run says so). */
  readonly unapproved: readonly string[];
}

const NONE: ProjectMcpServers = { servers: {}, unapproved: [] };

/**
 * Reads `<projectRoot>/.mcp.json` if there is one. A file that is not valid JSON, has no
 * `mcpServers` object, or names a variable that is unset without a default is CONFIG_INVALID.
 * Servers in `shadowed` (defined again by a settings file) are skipped.
 *
 * @example
 * const { servers, unapproved } = await loadProjectMcpServers(root, { enableAll: false, enabled: ['docs'], disabled: [] });
 */
export async function loadProjectMcpServers(
  projectRoot: string,
  approval: ProjectMcpApproval,
  environment: NodeJS.ProcessEnv = process.env,
  shadowed: ReadonlySet<string> = new Set(),
): Promise<ProjectMcpServers> {
  const file = path.join(projectRoot, PROJECT_MCP_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return NONE;
    throw invalid(file, 1, `cannot be read (${(error as Error).message})`);
  }
  const parsed = parseJsonWithLocation(text);
  if (!parsed.ok) {
    const { line, problem } = parsed.failure;
    throw invalid(file, line, `is not valid JSON (${problem})`);
  }
  const root = parsed.value;
  if (!isRecord(root) || !isRecord(root.mcpServers)) {
    throw invalid(file, 1, 'must be an object with "mcpServers": { "name": { "command": … } }');
  }
  const servers: Record<string, unknown> = {};
  const unapproved: string[] = [];
  for (const [name, config] of Object.entries(root.mcpServers)) {
    // Disabled, or defined again by a settings file (which wins): not read at all.
    if (approval.disabled.includes(name) || shadowed.has(name)) continue;
    if (!approval.enableAll && !approval.enabled.includes(name)) {
      unapproved.push(name);
      continue;
    }
    servers[name] = expandVariables(config, environment, (variable) =>
      invalid(
        file,
        lineOf(text, name),
        `server "${name}" uses \${${variable}}, which is not set and has no default (\${${variable}:-default})`,
      ),
    );
  }
  return { servers, unapproved };
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Every string inside `value` with `${VAR}` / `${VAR:-default}` replaced. */
function expandVariables(
  value: unknown,
  environment: NodeJS.ProcessEnv,
  unset: (name: string) => Error,
): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_all, name: string, fallback: string | undefined) => {
      const found = environment[name];
      if (found !== undefined) return found;
      if (fallback !== undefined) return fallback;
      throw unset(name);
    });
  }
  if (Array.isArray(value)) return value.map((item) => expandVariables(item, environment, unset));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandVariables(item, environment, unset)]),
    );
  }
  return value;
}

function lineOf(text: string, name: string): number {
  const offset = text.indexOf(`"${name}"`);
  return offset === -1 ? 1 : lineAndColumn(text, offset).line;
}

function invalid(file: string, line: number, what: string): UsageError {
  return new UsageError('CONFIG_INVALID', `${file}:${line}: ${what}.`, {
    hint: `Fix ${file} (Claude Code's project MCP servers file).`,
    location: { file, line, column: 1 },
  });
}
