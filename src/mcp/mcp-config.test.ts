import { describe, expect, it } from 'vitest';
import { mcpToolName, parseMcpServers } from './index.js';
import { toToolResult } from './internal/tool-bridge.js';

describe('parseMcpServers', () => {
  it('MCP-01 reads stdio and streamable-HTTP servers in Claude Code shape', () => {
    const servers = parseMcpServers({
      files: { command: 'npx', args: ['server'], env: { MODE: 'x' } },
      remote: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer t' } },
      implied: { url: 'http://127.0.0.1:9/other' },
    });
    expect(servers.get('files')).toEqual({
      type: 'stdio',
      command: 'npx',
      args: ['server'],
      env: { MODE: 'x' },
    });
    expect(servers.get('remote')).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:9/mcp',
      headers: { Authorization: 'Bearer t' },
    });
    expect(servers.get('implied')?.type).toBe('http');
  });

  it.each([
    ['no command', { s: { args: [] } }],
    ['bad url', { s: { type: 'http', url: 'not a url' } }],
    ['args not strings', { s: { command: 'x', args: [1] } }],
    ['unsupported type', { s: { type: 'sse', url: 'http://127.0.0.1/sse' } }],
    ['bad server name', { 'a b': { command: 'x' } }],
  ])('MCP-02 refuses a malformed entry (%s) with CONFIG_INVALID', (_, raw) => {
    expect(() => parseMcpServers(raw)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('tool bridge', () => {
  it('MCP-03 names tools mcp__<server>__<tool> with characters the API refuses replaced', () => {
    expect(mcpToolName('calc', 'add')).toBe('mcp__calc__add');
    expect(mcpToolName('my.server', 'read file')).toBe('mcp__my_server__read_file');
  });

  it('MCP-04 turns call results into text, errors into is_error, and names media instead of sending them', () => {
    expect(
      toToolResult({
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).toEqual({
      content: 'a\nb',
    });
    expect(toToolResult({ content: [{ type: 'text', text: 'boom' }], isError: true })).toEqual({
      content: 'boom',
      isError: true,
    });
    expect(toToolResult({ content: [{ type: 'image', mimeType: 'image/png' }] }).content).toBe(
      '[image image/png omitted]',
    );
    expect(toToolResult({ structuredContent: { n: 1 } }).content).toBe('{"n":1}');
    expect(toToolResult({ content: [{ type: 'text', text: 'x'.repeat(200_000) }] }).content).toMatch(
      /truncated/,
    );
  });
});
