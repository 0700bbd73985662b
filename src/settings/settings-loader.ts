/**
 * Reads and merges the settings files dynaflow honours: Claude Code's `.claude/settings.json`
 * (so an existing project's permission rules apply unchanged) and dynaflow's own
 * `.dynaflow/settings.json`, each at project and personal level.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

import { UsageError } from '../errors/index.js';
import { loadProjectMcpServers } from './project-mcp.js';
import {
  parseSettingsFile,
  type FileSettings,
  type ModelPriceSettings,
  type PermissionRules,
  type ProviderRateLimitSettings,
} from './settings-file.js';
import { checkProjectTrust, type ProjectTrust } from './workspace-trust.js';

/** Settings `sandbox`: the OS sandbox of agents' commands, `exec()` and stdio MCP servers. */
export interface SandboxSettings {
  /** `false` turns the OS sandbox off (like `--no-sandbox`); unset means on where available. */
  readonly enabled?: boolean;
  /** Hosts (`registry.npmjs.org`, `*.pypi.org`, `127.0.0.1:4873`) sandboxed commands may reach. */
  readonly networkAllow: readonly string[];
}

/** The project's trust, and what of its configuration was left out because it is not trusted. */
export interface SettingsTrust extends ProjectTrust {
  /** `ignore`: the caller asked for no project configuration at all (`dynaflow demo`). */
  readonly mode: 'by-trust' | 'ignore';
  /** One line per entry that did not take effect, e.g. `mcpServers.db (.claude/settings.json): node db.js`. */
  readonly ignored: readonly string[];
}

export interface DynaflowSettings {
  readonly permissions: PermissionRules;
  /**
   * MCP server configurations by name, passed through as written (the MCP client validates them):
   * the approved servers of the project's `.mcp.json`, then those of the settings files.
   */
  readonly mcpServers: Readonly<Record<string, unknown>>;
  /** Servers of `.mcp.json` that no setting approves: they do not start (see project-mcp.ts). */
  readonly unapprovedMcpServers: readonly string[];
  /** Model alias overrides, e.g. `{ "sonnet": "claude-sonnet-4-5" }`. */
  readonly models: Readonly<Record<string, string>>;
  /**
   * USD per million tokens by model id as sent, `*` for any other model, e.g.
   * `{ "*": { "input": 0, "output": 0 } }` for a local server (see providers' `withPrices`).
   */
  readonly prices: Readonly<Record<string, ModelPriceSettings>>;
  /**
   * Per-provider rate limits by provider id (`anthropic`, `bedrock`, `vertex`, `foundry`,
   * `openai`, `sim`), e.g. `{ "anthropic": { "concurrency": 8, "inputTokensPerMinute": 400000 } }`.
   */
  readonly rateLimits: Readonly<Record<string, ProviderRateLimitSettings>>;
  readonly model?: string;
  readonly provider?: string;
  readonly concurrency?: number;
  readonly maxAgents?: number;
  readonly sandbox: SandboxSettings;
  /** The files that were found and merged, lowest precedence first. */
  readonly sources: readonly string[];
  readonly trust: SettingsTrust;
}

export interface LoadSettingsOptions {
  /**
   * `by-trust` (default): the project's files count, but what can execute or spend only in a
   * trusted folder (see workspace-trust.ts). `ignore`: only the personal files count.
   */
  readonly project?: 'by-trust' | 'ignore';
}

/**
 * The files read, lowest precedence first: personal before project, Claude Code's before
 * dynaflow's, shared before `.local` (the one a person keeps out of version control).
 */
export function settingsFiles(projectRoot: string, homeDir: string = homedir()): string[] {
  return [
    path.join(homeDir, '.claude', 'settings.json'),
    path.join(homeDir, '.dynaflow', 'settings.json'),
    path.join(projectRoot, '.claude', 'settings.json'),
    path.join(projectRoot, '.dynaflow', 'settings.json'),
    path.join(projectRoot, '.claude', 'settings.local.json'),
    path.join(projectRoot, '.dynaflow', 'settings.local.json'),
  ];
}

/**
 * Loads and merges every settings file that exists. Permission rules accumulate across files
 * (a deny anywhere still denies); other keys take the value of the highest-precedence file.
 * A file that is not valid JSON, or has a key of the wrong type, is a `UsageError`
 * `CONFIG_INVALID` naming the file, the line and what to fix.
 *
 * @example
 * const settings = await loadSettings('/path/to/project');
 * const policy = createPermissionPolicy(settings.permissions);
 */
export async function loadSettings(
  projectRoot: string,
  homeDir?: string,
  environment: NodeJS.ProcessEnv = process.env,
  options: LoadSettingsOptions = {},
): Promise<DynaflowSettings> {
  const allow: string[] = [];
  const deny: string[] = [];
  const mcpServers: Record<string, unknown> = {};
  const models: Record<string, string> = {};
  const prices: Record<string, ModelPriceSettings> = {};
  const rateLimits: Record<string, ProviderRateLimitSettings> = {};
  const scalars: { model?: string; provider?: string; concurrency?: number; maxAgents?: number } = {};
  const approval = { enableAll: false, enabled: [] as string[], disabled: [] as string[] };
  const sandbox = { enabled: undefined as boolean | undefined, networkAllow: [] as string[] };
  const sources: string[] = [];
  const home = homeDir ?? homedir();
  const mode = options.project ?? 'by-trust';
  const trust = checkProjectTrust(projectRoot, home);
  const projectTrusted = mode === 'by-trust' && trust.trusted;
  const ignored: string[] = [];
  const personal = new Set(settingsFiles(projectRoot, home).slice(0, 2));
  // A project inside the home directory would otherwise be read twice.
  const files = [...new Set(settingsFiles(path.resolve(projectRoot), home))].filter(
    (file) => mode === 'by-trust' || personal.has(file),
  );
  for (const file of files) {
    const raw = await readOptional(file);
    if (raw === undefined) continue;
    const parsed = parseSettingsFile(file, raw);
    const settings = personal.has(file) || projectTrusted ? parsed : withoutUntrusted(file, parsed, ignored);
    sources.push(file);
    allow.push(...settings.allow);
    deny.push(...settings.deny);
    Object.assign(mcpServers, settings.mcpServers);
    Object.assign(models, settings.models);
    Object.assign(prices, settings.prices);
    // Per provider, the highest file's entry wins as a whole (limits are read together).
    Object.assign(rateLimits, settings.rateLimits);
    if (settings.model !== undefined) scalars.model = settings.model;
    if (settings.provider !== undefined) scalars.provider = settings.provider;
    if (settings.concurrency !== undefined) scalars.concurrency = settings.concurrency;
    if (settings.maxAgents !== undefined) scalars.maxAgents = settings.maxAgents;
    if (settings.sandbox?.enabled !== undefined) sandbox.enabled = settings.sandbox.enabled;
    sandbox.networkAllow.push(...(settings.sandbox?.networkAllow ?? []));
    if (settings.enableAllProjectMcpServers !== undefined) {
      approval.enableAll = settings.enableAllProjectMcpServers;
    }
    approval.enabled.push(...settings.enabledMcpjsonServers);
    approval.disabled.push(...settings.disabledMcpjsonServers);
  }
  // .mcp.json is the repository's own: without trust none of its servers start, approved or not.
  const projectMcp = projectTrusted
    ? await loadProjectMcpServers(
        path.resolve(projectRoot),
        approval,
        environment,
        new Set(Object.keys(mcpServers)),
      )
    : { servers: {}, unapproved: [] };
  if (mode === 'by-trust' && !projectTrusted) ignored.push(...untrustedProjectFiles(trust));
  return {
    permissions: { allow, deny },
    // A settings file's server of the same name wins over the project's .mcp.json one.
    mcpServers: { ...projectMcp.servers, ...mcpServers },
    unapprovedMcpServers: projectMcp.unapproved,
    models,
    prices,
    rateLimits,
    ...scalars,
    sandbox: {
      ...(sandbox.enabled !== undefined ? { enabled: sandbox.enabled } : {}),
      networkAllow: [...new Set(sandbox.networkAllow)],
    },
    sources,
    trust: { ...trust, trusted: projectTrusted, mode, ignored },
  };
}

/**
 * An untrusted project file keeps only what restricts or paces agents (deny rules, rate limits,
 * concurrency, the provider choice); every entry that could execute, spend or widen permissions
 * is left out and listed in `ignored`.
 */
function withoutUntrusted(file: string, settings: FileSettings, ignored: string[]): FileSettings {
  const where = ` (${file})`;
  for (const [name, server] of Object.entries(settings.mcpServers)) {
    ignored.push(`mcpServers.${name}${where}: ${describeServer(server)}`);
  }
  if (settings.enableAllProjectMcpServers !== undefined || settings.enabledMcpjsonServers.length > 0) {
    ignored.push(`approvals of .mcp.json servers${where}`);
  }
  for (const [alias, model] of Object.entries(settings.models))
    ignored.push(`models.${alias} → ${model}${where}`);
  if (settings.model !== undefined) ignored.push(`model: ${settings.model}${where}`);
  for (const model of Object.keys(settings.prices)) ignored.push(`prices.${model}${where}`);
  if (settings.allow.length > 0) ignored.push(`permissions.allow: ${settings.allow.join(', ')}${where}`);
  if (settings.maxAgents !== undefined) ignored.push(`maxAgents: ${settings.maxAgents}${where}`);
  if (settings.sandbox !== undefined) ignored.push(`sandbox${where}`);
  const {
    mcpServers: _servers,
    models: _models,
    prices: _prices,
    model: _model,
    maxAgents: _maxAgents,
    sandbox: _sandbox,
    enableAllProjectMcpServers: _enableAll,
    ...kept
  } = settings;
  return { ...kept, allow: [], mcpServers: {}, models: {}, prices: {}, enabledMcpjsonServers: [] };
}

/** `.mcp.json` and agent files count as a whole: none of them is read without trust. */
function untrustedProjectFiles(trust: ProjectTrust): string[] {
  return trust.files
    .filter((file) => !file.includes('settings'))
    .map((file) => (file.endsWith('.md') ? `agent type ${file}` : `${file} (every server in it)`));
}

/** `node server.js --flag` for a stdio server, the URL for an HTTP one. */
export function describeServer(server: unknown): string {
  if (typeof server !== 'object' || server === null) return String(server);
  const record = server as { command?: unknown; args?: unknown; url?: unknown };
  if (typeof record.url === 'string') return record.url;
  const words: unknown[] = [
    record.command,
    ...(Array.isArray(record.args) ? (record.args as unknown[]) : []),
  ];
  // Plain words as they are; anything else quoted, so what will run reads unambiguously.
  return words
    .map((word) => (typeof word === 'string' && /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word)))
    .join(' ');
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      return undefined;
    }
    throw new UsageError(
      'CONFIG_INVALID',
      `Cannot read settings file ${file}: ${(error as Error).message}.`,
      {
        hint: `Check the permissions of ${file}.`,
        cause: error,
      },
    );
  }
}
