/**
 * AG-07..08, AG-11: MCP servers from the settings and the project's `.mcp.json` (stdio and
 * streamable HTTP, through @modelcontextprotocol/sdk) give agents `mcp__<server>__<tool>` tools,
 * behind the same permission rules and agent-type filters as the built-in ones.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agentHarness, createProject, META, recorder, type Project } from './helpers/agent-project.js';
import { REPO_ROOT, type Harness } from './helpers/harness.js';

let project: Project | undefined;
let harness: Harness | undefined;
let http: Server | undefined;
afterEach(async () => {
  await harness?.close();
  await project?.remove();
  http?.closeAllConnections();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  harness = undefined;
  project = undefined;
  http = undefined;
});

const moduleUrl = (relative: string): string =>
  pathToFileURL(path.join(REPO_ROOT, 'node_modules', relative)).href;

/** A tiny stdio MCP server: `add`, `danger`, `env_has_key`; logs each start and its pid. */
const STDIO_SERVER = `
import { appendFileSync } from 'node:fs';
import { McpServer } from '${moduleUrl('@modelcontextprotocol/sdk/dist/esm/server/mcp.js')}';
import { StdioServerTransport } from '${moduleUrl('@modelcontextprotocol/sdk/dist/esm/server/stdio.js')}';
import { z } from '${moduleUrl('zod/index.js')}';
appendFileSync(process.argv[2], process.pid + '\\n');
const server = new McpServer({ name: 'calc', version: '1.0.0' });
server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() }, annotations: { readOnlyHint: true } },
  async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
server.registerTool('danger', { description: 'Denied by the settings', inputSchema: {} },
  async () => { appendFileSync(process.argv[2] + '.danger', 'ran\\n'); return { content: [{ type: 'text', text: 'ran' }] }; });
server.registerTool('env_has_key', { description: 'Whether an API key reached the server', inputSchema: {} },
  async () => ({ content: [{ type: 'text', text: String(Boolean(process.env.ANTHROPIC_API_KEY)) + ' ' + process.env.CALC_MODE }] }));
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
`;

/** A streamable HTTP MCP server on 127.0.0.1 (stateless), requiring a bearer token. */
async function startHttpServer(): Promise<string> {
  http = createServer((request, response) => {
    if (request.headers.authorization !== 'Bearer test-token') {
      response.writeHead(401).end();
      return;
    }
    const server = new McpServer({ name: 'remote', version: '1.0.0' });
    server.registerTool(
      'echo',
      { description: 'Echoes text', inputSchema: { text: z.string() } },
      ({ text }) => ({
        content: [{ type: 'text', text: `echo: ${text}` }],
      }),
    );
    const transport = new StreamableHTTPServerTransport({});
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => http?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
}

const simTool = (name: string, input: unknown): string => `@sim tool ${name} ${JSON.stringify(input)}`;

describe('MCP servers', () => {
  it('AG-07 stdio and streamable-HTTP tools reach agents as mcp__<server>__<tool>, under permissions and type filters', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    const serverFile = path.join(project.home, 'calc-server.mjs');
    // In the project: stdio servers run in the OS sandbox, which lets them write only there.
    const startLog = path.join(project.root, 'starts.log');
    await writeFile(serverFile, STDIO_SERVER);
    const url = await startHttpServer();
    await project.write(
      '.dynaflow/settings.json',
      JSON.stringify({
        permissions: { deny: ['mcp__calc__danger'] },
        mcpServers: {
          calc: { command: process.execPath, args: [serverFile, startLog], env: { CALC_MODE: 'test' } },
          remote: { type: 'http', url, headers: { Authorization: 'Bearer test-token' } },
        },
      }),
    );
    const behaviour = recorder('mcp agent');
    harness = await agentHarness(project, { behaviour });
    const previous = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-should-not-reach-mcp-000000';
    try {
      const prompt = [
        'mcp agent',
        simTool('mcp__calc__add', { a: 2, b: 3 }),
        simTool('mcp__remote__echo', { text: 'hi' }),
        simTool('mcp__calc__danger', {}),
        simTool('mcp__calc__env_has_key', {}),
        '@sim reply used mcp',
      ].join('\n');
      const outcome = await harness.runText(
        `${META}
        const a = await agent(${JSON.stringify(prompt)}, { label: 'mcp' })
        const b = await agent('mcp agent explore\\n@sim reply explored', { label: 'explore', agentType: 'Explore' })
        return [a, b]`,
      );
      expect(outcome.result).toEqual(['used mcp', 'explored']);
    } finally {
      if (previous === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = previous;
    }
    const general = behaviour.requests.filter((request) =>
      request.sim.firstUserText.startsWith('mcp agent\n'),
    );
    const offered = general[0]?.tools?.map((tool) => tool.name) ?? [];
    expect(offered).toEqual(
      expect.arrayContaining(['mcp__calc__add', 'mcp__calc__danger', 'mcp__remote__echo', 'Read', 'Bash']),
    );
    const results = general.flatMap((request) => request.sim.toolResults);
    expect(results.map((result) => [result.isError, result.content.split(':')[0]])).toEqual([
      [false, '5'],
      [false, 'echo'],
      [true, 'PERMISSION_DENIED'],
      [false, 'false test'],
    ]);
    expect(results[1]?.content).toBe('echo: hi');
    expect(existsSync(`${startLog}.danger`)).toBe(false);
    // Explore's fixed tool list leaves MCP tools out.
    const explore = behaviour.requests.find((request) =>
      request.sim.firstUserText.startsWith('mcp agent explore'),
    );
    expect(explore?.tools?.some((tool) => tool.name.startsWith('mcp__'))).toBe(false);
    // One connection per run, closed at run end.
    const pids = (await readFile(startLog, 'utf8')).trim().split('\n').map(Number);
    expect(pids).toHaveLength(1);
    // The pid is one of the OS sandbox's own PID namespace: look for the server's command line.
    const serverProcesses = (): string[] =>
      readdirSync('/proc').filter((pid) => {
        try {
          return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(serverFile);
        } catch {
          return false;
        }
      });
    for (let waited = 0; serverProcesses().length > 0 && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(serverProcesses()).toEqual([]);
  });

  it('AG-08 an MCP server that cannot start is a run warning; agents still run without its tools', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    await project.write(
      '.dynaflow/settings.json',
      JSON.stringify({ mcpServers: { broken: { command: path.join(project.home, 'no-such-server') } } }),
    );
    harness = await agentHarness(project);
    const outcome = await harness.runText(`${META}\nreturn await agent('hello\\n@sim reply still fine')`);
    expect(outcome.result).toBe('still fine');
    const warnings = harness.journal.listEvents(outcome.runId).filter((event) => event.kind === 'warning');
    expect(warnings.some((event) => event.text.includes('MCP server "broken"'))).toBe(true);
  });

  it('AG-11 .mcp.json servers start once approved in the settings; an unapproved one is a warning', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    const serverFile = path.join(project.home, 'calc-server.mjs');
    // In the project: stdio servers run in the OS sandbox, which lets them write only there.
    const startLog = path.join(project.root, 'starts.log');
    await writeFile(serverFile, STDIO_SERVER);
    await project.write(
      '.mcp.json',
      JSON.stringify({
        mcpServers: {
          calc: { command: process.execPath, args: [serverFile, '${CALC_START_LOG:-' + startLog + '}'] },
          stranger: { command: path.join(project.home, 'would-run-anything') },
        },
      }),
    );
    await project.write('.claude/settings.local.json', JSON.stringify({ enabledMcpjsonServers: ['calc'] }));
    const behaviour = recorder('mcp json agent');
    harness = await agentHarness(project, { behaviour });
    const prompt = ['mcp json agent', simTool('mcp__calc__add', { a: 20, b: 22 }), '@sim reply added'].join(
      '\n',
    );
    const outcome = await harness.runText(`${META}\nreturn await agent(${JSON.stringify(prompt)})`);
    expect(outcome.result).toBe('added');
    const results = behaviour.requests.flatMap((request) => request.sim.toolResults);
    expect(results.map((result) => result.content)).toEqual(['42']);
    const offered = behaviour.requests[0]?.tools?.map((tool) => tool.name) ?? [];
    expect(offered.some((name) => name.startsWith('mcp__stranger__'))).toBe(false);
    expect((await readFile(startLog, 'utf8')).trim().split('\n')).toHaveLength(1);
    const warnings = harness.journal.listEvents(outcome.runId).filter((event) => event.kind === 'warning');
    expect(warnings.some((event) => event.text.includes('"stranger" of .mcp.json is not approved'))).toBe(
      true,
    );
  });
});
