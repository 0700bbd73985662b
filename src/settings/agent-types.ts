/**
 * Agent types: which tools an agent gets and what it is told. Two are built in, as in Claude
 * Code (`general-purpose`, `Explore`); projects add their own as Markdown files with YAML
 * frontmatter in `.claude/agents/` or `.dynaflow/agents/`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';

import { UsageError } from '../errors/index.js';

export interface AgentTypeDefinition {
  readonly name: string;
  readonly description: string;
  /** Tool names the agent may use, or `'*'` for every tool (built-in and MCP). */
  readonly tools: readonly string[] | '*';
  /** Tool names removed from `tools` (frontmatter `disallowedTools`). */
  readonly disallowedTools: readonly string[];
  /** Read-only agents get no writing tools and a Bash limited to read-only commands. */
  readonly readOnly: boolean;
  /** Model alias or id from the frontmatter; the agent call's own `model` option wins over it. */
  readonly model?: string;
  /** Extra system prompt (the Markdown body of a custom type). */
  readonly systemPrompt?: string;
  /** The file a custom type came from. */
  readonly source?: string;
}

export const GENERAL_PURPOSE: AgentTypeDefinition = {
  name: 'general-purpose',
  description: 'General-purpose agent for researching, searching and changing code; has every tool.',
  tools: '*',
  disallowedTools: [],
  readOnly: false,
};

export const EXPLORE: AgentTypeDefinition = {
  name: 'Explore',
  description:
    'Fast read-only agent for exploring a codebase: finds files, searches code, reads and answers.',
  tools: ['Read', 'Glob', 'Grep', 'Bash'],
  disallowedTools: [],
  readOnly: true,
  systemPrompt:
    'You are in read-only mode: you may read and search files and run read-only shell commands ' +
    '(ls, cat, head, tail, wc, find, grep, rg, git log/show/diff/status/blame). Do not try to change anything.',
};

export const BUILT_IN_AGENT_TYPES: readonly AgentTypeDefinition[] = [GENERAL_PURPOSE, EXPLORE];

export interface ResolvedAgentType {
  readonly definition: AgentTypeDefinition;
  /**
   * Set when the name was unknown and `general-purpose` stands in for it, or when an agent file
   * tried to redefine this built-in type and was ignored.
   */
  readonly warning?: string;
}

export interface AgentTypeSources {
  /** The project's `.dynaflow/agents/` and `.claude/agents/` (false in a folder not trusted). */
  readonly includeProject?: boolean;
}

/** An agent file that names a built-in type: ignored, since built-in guarantees stay built-in. */
export interface RefusedAgentType {
  readonly name: string;
  readonly source: string;
}

/**
 * Finds an agent type by name: custom types (project, then personal) before built-ins; exact
 * name first, then case-insensitively. An unknown name is not an error: it falls back to
 * `general-purpose` with a warning. A malformed agent file is `CONFIG_INVALID` naming it.
 *
 * @example
 * const { definition, warning } = await resolveAgentType('reviewer', projectRoot);
 */
export async function resolveAgentType(
  name: string | undefined,
  projectRoot: string,
  homeDir?: string,
  sources: AgentTypeSources = {},
): Promise<ResolvedAgentType> {
  if (name === undefined || name === '') return { definition: GENERAL_PURPOSE };
  const refused: RefusedAgentType[] = [];
  const types = await listAgentTypes(projectRoot, homeDir, sources, refused);
  const found =
    types.find((type) => type.name === name) ??
    types.find((type) => type.name.toLowerCase() === name.toLowerCase());
  const redefinition = refused.find((type) => type.name.toLowerCase() === found?.name.toLowerCase());
  if (found && redefinition) {
    return {
      definition: found,
      warning:
        `${redefinition.source} redefines the built-in agent type "${found.name}"; it is ignored, so ` +
        `"${found.name}" keeps its built-in tools${found.readOnly ? ' (read-only)' : ''}. Give the file another name (e.g. name: my-${found.name.toLowerCase()}) and use that agentType.`,
    };
  }
  if (found) return { definition: found };
  const known = types.map((type) => type.name).join(', ');
  return {
    definition: GENERAL_PURPOSE,
    warning: `Unknown agent type "${name}"; using general-purpose. Known types: ${known}. Define it in .claude/agents/${name}.md to add it.`,
  };
}

/**
 * Every agent type available in a project, highest precedence first (custom before built-in).
 * A custom file named like a built-in (`Explore`, `general-purpose`, in any case) is never used:
 * it could turn the read-only Explore into a writer behind every script that relies on it. Such
 * files are reported in `refused`.
 */
export async function listAgentTypes(
  projectRoot: string,
  homeDir: string = homedir(),
  sources: AgentTypeSources = {},
  refused: RefusedAgentType[] = [],
): Promise<AgentTypeDefinition[]> {
  const directories = [
    ...(sources.includeProject === false
      ? []
      : [path.join(projectRoot, '.dynaflow', 'agents'), path.join(projectRoot, '.claude', 'agents')]),
    path.join(homeDir, '.dynaflow', 'agents'),
    path.join(homeDir, '.claude', 'agents'),
  ];
  const builtInNames = new Set(BUILT_IN_AGENT_TYPES.map((type) => type.name.toLowerCase()));
  const byName = new Map<string, AgentTypeDefinition>();
  for (const directory of [...new Set(directories)]) {
    for (const definition of await loadAgentDirectory(directory)) {
      if (builtInNames.has(definition.name.toLowerCase())) {
        refused.push({ name: definition.name, source: definition.source ?? directory });
      } else if (!byName.has(definition.name)) byName.set(definition.name, definition);
    }
  }
  for (const builtIn of BUILT_IN_AGENT_TYPES)
    if (!byName.has(builtIn.name)) byName.set(builtIn.name, builtIn);
  return [...byName.values()];
}

async function loadAgentDirectory(directory: string): Promise<AgentTypeDefinition[]> {
  let entries: string[];
  try {
    entries = (await readdir(directory)).filter((entry) => entry.endsWith('.md')).sort();
  } catch {
    return [];
  }
  const definitions: AgentTypeDefinition[] = [];
  for (const entry of entries) {
    const file = path.join(directory, entry);
    const definition = parseAgentFile(file, await readFile(file, 'utf8'));
    if (definition) definitions.push(definition);
  }
  return definitions;
}

// yaml loads with the first agent file: a project without custom agents never pays for it.
let yaml: typeof import('yaml') | undefined;
const loadYaml = () => (yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

const FRONTMATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

/**
 * Parses one agent file. Returns `undefined` for a Markdown file without frontmatter (a README
 * beside the agents is not an agent); throws `CONFIG_INVALID` for frontmatter that is broken.
 */
export function parseAgentFile(file: string, text: string): AgentTypeDefinition | undefined {
  if (!/^\uFEFF?---\r?\n/.test(text)) return undefined;
  const match = FRONTMATTER.exec(text);
  if (!match) invalid(file, 1, 'the frontmatter is not closed: add a line with just --- after it');
  const { parse: parseYaml, YAMLParseError } = loadYaml();
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (error) {
    // +1: the frontmatter starts on the line after the opening ---.
    const line = error instanceof YAMLParseError && error.linePos ? error.linePos[0].line + 1 : 1;
    invalid(
      file,
      line,
      `the YAML frontmatter does not parse (${(error as Error).message.split('\n')[0] ?? ''})`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    invalid(file, 2, 'the frontmatter must be YAML key: value pairs (name, description, tools, model)');
  }
  const record = data as Record<string, unknown>;
  const name = record.name ?? path.basename(file, '.md');
  if (typeof name !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(name)) {
    invalid(file, 2, '"name" must be a word such as reviewer or code-reviewer (letters, digits, - _ .)');
  }
  const description = record.description ?? '';
  if (typeof description !== 'string') invalid(file, 2, '"description" must be a string');
  const model = record.model;
  if (model !== undefined && typeof model !== 'string')
    invalid(file, 2, '"model" must be a string such as sonnet');
  const tools = toolList(file, 'tools', record.tools);
  const disallowedTools = toolList(file, 'disallowedTools', record.disallowedTools);
  const systemPrompt = (match[2] ?? '').trim();
  return {
    name,
    description,
    tools: tools === undefined || tools.includes('*') ? '*' : tools,
    disallowedTools: disallowedTools ?? [],
    readOnly: false,
    ...(model !== undefined && model !== 'inherit' ? { model } : {}),
    ...(systemPrompt ? { systemPrompt } : {}),
    source: file,
  };
}

function toolList(file: string, key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value
      .split(',')
      .map((tool) => tool.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((tool) => typeof tool === 'string'))
    return value.map((tool) => tool.trim());
  invalid(file, 2, `"${key}" must be a comma-separated list (Read, Grep, Bash) or a YAML list of tool names`);
}

function invalid(file: string, line: number, what: string): never {
  throw new UsageError('CONFIG_INVALID', `${file}:${line}: ${what}.`, {
    hint: `Fix the agent definition in ${file}.`,
    location: { file, line, column: 1 },
  });
}

/**
 * Whether an agent type may use a tool (built-in or MCP). Read-only types never get tools
 * that write, whatever their list says.
 */
export function isToolAllowedForAgentType(
  agentType: AgentTypeDefinition,
  toolName: string,
  toolIsReadOnly: boolean,
): boolean {
  if (agentType.disallowedTools.includes(toolName)) return false;
  // Bash stays available to read-only types: the tool itself restricts it to read-only commands.
  if (agentType.readOnly && !toolIsReadOnly && toolName !== 'Bash') return false;
  return agentType.tools === '*' || agentType.tools.includes(toolName);
}
