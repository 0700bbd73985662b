/**
 * Reads and merges the settings files dynaflow honours: Claude Code's `.claude/settings.json`
 * (so an existing project's permission rules apply unchanged) and dynaflow's own
 * `.dynaflow/settings.json`, each at project and personal level.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

import { UsageError } from '../errors/index.js';
import { isRecord, lineAndColumn, parseJsonWithLocation } from './internal/json-location.js';
import { loadProjectMcpServers } from './project-mcp.js';
import { checkProjectTrust, type ProjectTrust } from './workspace-trust.js';

export interface PermissionRules {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

/** One provider's limits (settings `rateLimits.<provider>`): shared by every agent of a run. */
export interface ProviderRateLimitSettings {
  /** Model requests in flight at once. */
  readonly concurrency?: number;
  readonly inputTokensPerMinute?: number;
  readonly outputTokensPerMinute?: number;
}

const RATE_LIMIT_KEYS = ['concurrency', 'inputTokensPerMinute', 'outputTokensPerMinute'] as const;

/** One model's price (settings `prices.<model>`), USD per million tokens. */
export interface ModelPriceSettings {
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

const PRICE_KEYS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;

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

interface FileSettings {
  allow: string[];
  deny: string[];
  mcpServers: Record<string, unknown>;
  models: Record<string, string>;
  prices: Record<string, ModelPriceSettings>;
  rateLimits: Record<string, ProviderRateLimitSettings>;
  model?: string;
  provider?: string;
  concurrency?: number;
  maxAgents?: number;
  /** Claude Code's approval of `.mcp.json` servers. */
  enableAllProjectMcpServers?: boolean;
  enabledMcpjsonServers: string[];
  disabledMcpjsonServers: string[];
  sandbox?: { enabled?: boolean; networkAllow: string[] };
}

/** Parses one settings file's text; exported for tests and for `dynaflow validate`-style checks. */
export function parseSettingsFile(file: string, text: string): FileSettings {
  const parsed = parseJsonWithLocation(text);
  if (!parsed.ok) {
    const { line, column, problem } = parsed.failure;
    throw new UsageError('CONFIG_INVALID', `${file}:${line}:${column}: invalid JSON (${problem}).`, {
      hint: `Fix the JSON syntax at line ${line} of ${file} (a trailing comma or a missing quote is typical).`,
      location: { file, line, column },
    });
  }
  const root = parsed.value;
  if (!isRecord(root)) invalid(file, 'the file must contain a JSON object ({ ... })');
  const result: FileSettings = {
    allow: [],
    deny: [],
    mcpServers: {},
    models: {},
    prices: {},
    rateLimits: {},
    enabledMcpjsonServers: nameList(file, text, 'enabledMcpjsonServers', root.enabledMcpjsonServers),
    disabledMcpjsonServers: nameList(file, text, 'disabledMcpjsonServers', root.disabledMcpjsonServers),
  };
  if (root.enableAllProjectMcpServers !== undefined) {
    if (typeof root.enableAllProjectMcpServers !== 'boolean') {
      invalid(
        file,
        '"enableAllProjectMcpServers" must be true or false',
        lineOfKey(text, 'enableAllProjectMcpServers'),
      );
    }
    result.enableAllProjectMcpServers = root.enableAllProjectMcpServers;
  }
  const permissions = root.permissions;
  if (permissions !== undefined) {
    if (!isRecord(permissions))
      invalid(file, '"permissions" must be an object like { "allow": [], "deny": [] }');
    result.allow = stringList(file, text, 'permissions.allow', permissions.allow);
    result.deny = stringList(file, text, 'permissions.deny', permissions.deny);
  }
  if (root.mcpServers !== undefined) {
    if (!isRecord(root.mcpServers)) {
      invalid(file, '"mcpServers" must be an object keyed by server name', lineOfKey(text, 'mcpServers'));
    }
    result.mcpServers = root.mcpServers;
  }
  if (root.models !== undefined) {
    if (!isRecord(root.models) || !Object.values(root.models).every((value) => typeof value === 'string')) {
      invalid(
        file,
        '"models" must map alias names to model ids, e.g. { "sonnet": "claude-sonnet-4-5" }',
        lineOfKey(text, 'models'),
      );
    }
    result.models = root.models as Record<string, string>;
  }
  if (root.sandbox !== undefined) result.sandbox = sandboxOf(file, text, root.sandbox);
  if (root.rateLimits !== undefined) result.rateLimits = rateLimitsOf(file, text, root.rateLimits);
  if (root.prices !== undefined) result.prices = pricesOf(file, text, root.prices);
  for (const key of ['model', 'provider'] as const) {
    const value = root[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') invalid(file, `"${key}" must be a string`, lineOfKey(text, key));
    result[key] = value;
  }
  for (const key of ['concurrency', 'maxAgents'] as const) {
    const value = root[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      invalid(file, `"${key}" must be a positive integer`, lineOfKey(text, key));
    }
    result[key] = value;
  }
  return result;
}

function sandboxOf(
  file: string,
  text: string,
  value: unknown,
): { enabled?: boolean; networkAllow: string[] } {
  const example = '{ "enabled": true, "network": { "allow": ["registry.npmjs.org"] } }';
  if (!isRecord(value))
    invalid(file, `"sandbox" must be an object, e.g. ${example}`, lineOfKey(text, 'sandbox'));
  const result: { enabled?: boolean; networkAllow: string[] } = { networkAllow: [] };
  for (const key of Object.keys(value)) {
    if (key !== 'enabled' && key !== 'network') {
      invalid(
        file,
        `"sandbox.${key}" is not a sandbox setting (use enabled, network)`,
        lineOfPath(text, ['sandbox', key]),
      );
    }
  }
  if (value.enabled !== undefined) {
    if (typeof value.enabled !== 'boolean') {
      invalid(file, '"sandbox.enabled" must be true or false', lineOfPath(text, ['sandbox', 'enabled']));
    }
    result.enabled = value.enabled;
  }
  if (value.network !== undefined) {
    const network = value.network;
    const allow = isRecord(network) ? network.allow : undefined;
    if (
      !isRecord(network) ||
      Object.keys(network).some((key) => key !== 'allow') ||
      (allow !== undefined && (!Array.isArray(allow) || !allow.every(isHostPattern)))
    ) {
      invalid(
        file,
        `"sandbox.network" must be { "allow": [hosts] } with hosts like "registry.npmjs.org", "*.pypi.org" or "127.0.0.1:4873"`,
        lineOfPath(text, ['sandbox', 'network']),
      );
    }
    result.networkAllow = allow ?? [];
  }
  return result;
}

/** `host`, `*.domain`, `host:port`, `[::1]:port`: no scheme, path or spaces. */
function isHostPattern(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(value)
  );
}

function rateLimitsOf(file: string, text: string, value: unknown): Record<string, ProviderRateLimitSettings> {
  const example = '{ "anthropic": { "concurrency": 8, "inputTokensPerMinute": 400000 } }';
  if (!isRecord(value)) {
    invalid(
      file,
      `"rateLimits" must map provider ids to limits, e.g. ${example}`,
      lineOfKey(text, 'rateLimits'),
    );
  }
  const result: Record<string, ProviderRateLimitSettings> = {};
  for (const [provider, limits] of Object.entries(value)) {
    if (!isRecord(limits)) {
      invalid(
        file,
        `"rateLimits.${provider}" must be an object, e.g. ${example}`,
        lineOfPath(text, ['rateLimits', provider]),
      );
    }
    const entry: { -readonly [K in keyof ProviderRateLimitSettings]: number } = {};
    for (const [key, limit] of Object.entries(limits)) {
      if (!(RATE_LIMIT_KEYS as readonly string[]).includes(key)) {
        invalid(
          file,
          `"rateLimits.${provider}.${key}" is not a rate limit (use ${RATE_LIMIT_KEYS.join(', ')})`,
          lineOfPath(text, ['rateLimits', provider, key]),
        );
      }
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
        invalid(
          file,
          `"rateLimits.${provider}.${key}" must be a positive integer`,
          lineOfPath(text, ['rateLimits', provider, key]),
        );
      }
      entry[key as keyof ProviderRateLimitSettings] = limit;
    }
    result[provider] = entry;
  }
  return result;
}

function pricesOf(file: string, text: string, value: unknown): Record<string, ModelPriceSettings> {
  const example = '{ "*": { "input": 0, "output": 0 } } or { "my-model": { "input": 3, "output": 15 } }';
  if (!isRecord(value)) {
    invalid(
      file,
      `"prices" must map model ids to USD per million tokens, e.g. ${example}`,
      lineOfKey(text, 'prices'),
    );
  }
  const result: Record<string, ModelPriceSettings> = {};
  for (const [model, price] of Object.entries(value)) {
    const where = lineOfPath(text, ['prices', model]);
    if (!isRecord(price)) invalid(file, `"prices.${model}" must be an object, e.g. ${example}`, where);
    for (const [key, amount] of Object.entries(price)) {
      if (!(PRICE_KEYS as readonly string[]).includes(key)) {
        invalid(file, `"prices.${model}.${key}" is not a price (use ${PRICE_KEYS.join(', ')})`, where);
      }
      if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
        invalid(file, `"prices.${model}.${key}" must be a number ≥ 0 (USD per million tokens)`, where);
      }
    }
    if (price.input === undefined || price.output === undefined) {
      invalid(file, `"prices.${model}" needs at least "input" and "output"`, where);
    }
    result[model] = price as unknown as ModelPriceSettings;
  }
  return result;
}

/** The line of the last key of `keys`, each looked for after the one before it (nested keys). */
function lineOfPath(text: string, keys: readonly string[]): number {
  let offset = 0;
  for (const key of keys) {
    const found = text.indexOf(`"${key}"`, offset);
    if (found === -1) break;
    offset = found;
  }
  return lineAndColumn(text, offset).line;
}

function stringList(file: string, text: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    invalid(
      file,
      `"${key}" must be an array of rule strings such as "Bash(npm test:*)"`,
      lineOfKey(text, key),
    );
  }
  return value;
}

function nameList(file: string, text: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    invalid(file, `"${key}" must be an array of server names from .mcp.json`, lineOfKey(text, key));
  }
  return value;
}

/** The line where `"key"` first appears, so the error points at the offending entry. */
function lineOfKey(text: string, key: string): number {
  const offset = text.indexOf(`"${key.split('.').at(-1) ?? key}"`);
  return offset === -1 ? 1 : lineAndColumn(text, offset).line;
}

function invalid(file: string, what: string, line = 1): never {
  throw new UsageError('CONFIG_INVALID', `${file}:${line}: ${what}.`, {
    hint: `Fix line ${line} of ${file}.`,
    location: { file, line, column: 1 },
  });
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
