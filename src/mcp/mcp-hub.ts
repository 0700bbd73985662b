/**
 * The MCP client side of one run: every configured server is connected once, lazily (on the
 * first agent that asks for tools), and its tools are offered to agents as
 * `mcp__<server>__<tool>` (Claude Code's naming). A server that cannot be reached costs a warning,
 * not the run: its tools are simply absent.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

import type { AgentTool } from '../agent/types.js';
import type { CommandSandbox } from '../shell/index.js';
import type { McpServerConfig } from './mcp-config.js';
import { mcpToolName, toToolResult, type McpCallResult } from './internal/tool-bridge.js';

export interface McpHubOptions {
  /** Working directory of stdio servers that name none (the project root). */
  readonly cwd: string;
  /** Told about servers that fail to start or list their tools. */
  readonly warn?: (message: string) => void;
  /** Connect and list timeout per server. Default 30 s. */
  readonly connectTimeoutMs?: number;
  /** Timeout of one tool call. Default 10 min (MCP tools may run builds). */
  readonly callTimeoutMs?: number;
  /**
   * The run's OS sandbox: stdio servers start inside it (their working directory writable, the
   * network only to the run's allow-list). Absent, they start unsandboxed.
   */
  readonly sandbox?: CommandSandbox;
}

interface ConnectedServer {
  readonly name: string;
  readonly client: Client;
  readonly tools: AgentTool[];
}

const CLIENT_INFO = { name: 'dynaflow', version: '0.1.0' };

/**
 * @example
 * const hub = new McpHub(parseMcpServers(settings.mcpServers), { cwd: projectRoot });
 * const tools = await hub.tools(); // mcp__files__read_file, ...
 * await hub.close();
 */
export class McpHub {
  private connecting: Promise<ConnectedServer[]> | undefined;
  private closed = false;
  /** Private temporary directories of sandboxed stdio servers, removed at close. */
  private readonly disposers: (() => Promise<void>)[] = [];

  constructor(
    private readonly servers: ReadonlyMap<string, McpServerConfig>,
    private readonly options: McpHubOptions,
  ) {}

  /** Every tool of every reachable server. Connects on the first call only. */
  async tools(): Promise<AgentTool[]> {
    if (this.servers.size === 0) return [];
    this.connecting ??= Promise.all([...this.servers].map(([name, config]) => this.connect(name, config)));
    const connected = await this.connecting;
    return connected.flatMap((server) => server.tools);
  }

  /** Closes every connection (stdio servers are stopped). Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    const connected = await (this.connecting ?? Promise.resolve([]));
    await Promise.all(connected.map((server) => server.client.close().catch(() => undefined)));
    await Promise.all(this.disposers.splice(0).map((dispose) => dispose().catch(() => undefined)));
  }

  private async connect(name: string, config: McpServerConfig): Promise<ConnectedServer> {
    // The SDK is loaded only by runs whose settings name MCP servers.
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    const timeout = this.options.connectTimeoutMs ?? 30_000;
    try {
      await client.connect(await this.transport(config), { timeout });
      const tools: AgentTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout });
        for (const tool of page.tools) tools.push(this.bridge(name, client, tool));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      if (this.closed) await client.close();
      return { name, client, tools };
    } catch (error) {
      await client.close().catch(() => undefined);
      this.options.warn?.(
        `MCP server "${name}" is unavailable, its tools are left out: ${(error as Error).message}`,
      );
      return { name, client, tools: [] };
    }
  }

  private async transport(config: McpServerConfig): Promise<Transport> {
    if (config.type === 'http') {
      const { StreamableHTTPClientTransport } =
        await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: { ...config.headers } },
      });
    }
    // The SDK's default environment is a short allowlist (PATH, HOME, ...): no API keys reach
    // the server unless its configuration names them.
    const { getDefaultEnvironment, StdioClientTransport } =
      await import('@modelcontextprotocol/sdk/client/stdio.js');
    const cwd = config.cwd ?? this.options.cwd;
    // Sandboxed, the server's command becomes `bwrap … -- command args` (src/shell).
    const prepared = await this.options.sandbox?.prepare([config.command, ...config.args], {
      workspace: cwd,
      cwd,
    });
    if (prepared) this.disposers.push(() => prepared.dispose());
    const [command, ...args] = prepared?.argv ?? [config.command, ...config.args];
    return new StdioClientTransport({
      command: command!,
      args,
      env: { ...getDefaultEnvironment(), ...config.env, ...prepared?.environment },
      cwd,
      stderr: 'ignore',
    });
  }

  private bridge(
    server: string,
    client: Client,
    tool: {
      name: string;
      description?: string | undefined;
      inputSchema: Record<string, unknown>;
      annotations?: { readOnlyHint?: boolean | undefined } | undefined;
    },
  ): AgentTool {
    const callTimeout = this.options.callTimeoutMs ?? 10 * 60_000;
    return {
      definition: {
        name: mcpToolName(server, tool.name),
        description: tool.description ?? `Tool ${tool.name} of the MCP server ${server}.`,
        inputSchema: tool.inputSchema,
      },
      readOnly: tool.annotations?.readOnlyHint === true,
      run: async (input, context) => {
        try {
          const result = (await client.callTool(
            { name: tool.name, arguments: (input ?? {}) as Record<string, unknown> },
            undefined,
            { signal: context.signal, timeout: callTimeout },
          )) as McpCallResult;
          return toToolResult(result);
        } catch (error) {
          return {
            content: `TOOL_FAILED: MCP tool ${server}/${tool.name} failed: ${(error as Error).message}`,
            isError: true,
          };
        }
      },
    };
  }
}
