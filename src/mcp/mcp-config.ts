/**
 * The `mcpServers` entries of the settings files, in Claude Code's shape: a stdio server is
 * `{ command, args?, env?, cwd? }` (type `stdio`, the default), a remote one
 * `{ type: 'http', url, headers? }` (streamable HTTP). Checked here, where the client is, because
 * the settings loader passes the entries through as written.
 */
import { UsageError } from '../errors/index.js';

export interface StdioServerConfig {
  readonly type: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface HttpServerConfig {
  readonly type: 'http';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

/**
 * Reads every entry of `mcpServers`. A malformed entry is `CONFIG_INVALID` naming the server and
 * what to write instead: a typo in a server definition must not silently drop its tools.
 *
 * @example
 * const servers = parseMcpServers({ files: { command: 'npx', args: ['my-mcp-server'] } });
 */
export function parseMcpServers(raw: Readonly<Record<string, unknown>>): Map<string, McpServerConfig> {
  const servers = new Map<string, McpServerConfig>();
  for (const [name, value] of Object.entries(raw)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      invalid(name, 'the server name may only use letters, digits, _ and - (it becomes part of tool names)');
    }
    if (!isRecord(value))
      invalid(name, 'each server must be an object such as { "command": "npx", "args": [] }');
    const type = value.type ?? (value.url !== undefined ? 'http' : 'stdio');
    if (type === 'stdio') {
      if (typeof value.command !== 'string' || value.command === '') {
        invalid(name, 'a stdio server needs "command" (the program to start)');
      }
      servers.set(name, {
        type: 'stdio',
        command: value.command,
        args: stringArray(name, 'args', value.args),
        env: stringRecord(name, 'env', value.env),
        ...(typeof value.cwd === 'string' ? { cwd: value.cwd } : {}),
      });
    } else if (type === 'http' || type === 'streamable-http' || type === 'streamableHttp') {
      if (typeof value.url !== 'string' || !URL.canParse(value.url)) {
        invalid(name, 'an http server needs "url", e.g. "http://127.0.0.1:8080/mcp"');
      }
      servers.set(name, {
        type: 'http',
        url: value.url,
        headers: stringRecord(name, 'headers', value.headers),
      });
    } else {
      invalid(name, `"type" must be "stdio" or "http" (streamable HTTP), not ${JSON.stringify(type)}`);
    }
  }
  return servers;
}

function stringArray(server: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    invalid(server, `"${key}" must be an array of strings`);
  }
  return value;
}

function stringRecord(server: string, key: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    invalid(server, `"${key}" must map names to string values`);
  }
  return value as Record<string, string>;
}

function invalid(server: string, what: string): never {
  throw new UsageError('CONFIG_INVALID', `MCP server "${server}" in mcpServers: ${what}.`, {
    hint: 'Fix the "mcpServers" entry in .dynaflow/settings.json (or .claude/settings.json).',
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
