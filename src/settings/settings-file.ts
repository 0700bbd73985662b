/**
 * One settings file, parsed and checked on its own (`parseSettingsFile`): every key's type, with
 * the file and line of whatever is wrong. Merging files, and trust, are settings-loader.ts's.
 */
import { UsageError } from '../errors/index.js';
import { isRecord, lineAndColumn, parseJsonWithLocation } from './internal/json-location.js';

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

/** What one settings file says, before files are merged. */
export interface FileSettings {
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
