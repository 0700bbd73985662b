import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import { loadSettings, trustProject } from './index.js';
import { useProjectAndHome } from './internal/test-directories.js';

let project: string;
let home: string;
useProjectAndHome('dynaflow-mcpjson-', (directories) => ({ project, home } = directories));

async function put(file: string, content: unknown): Promise<void> {
  const full = path.join(project, file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

/** These tests are about approval rules, which apply only in a trusted folder. */
function loadTrusted(environment: NodeJS.ProcessEnv = {}) {
  trustProject(project, home);
  return loadSettings(project, home, environment);
}

const MCP_JSON = {
  mcpServers: {
    docs: { command: 'docs-server', args: ['--root', '${DOCS_ROOT:-/srv/docs}'] },
    issues: { type: 'http', url: '${ISSUES_URL}/mcp', headers: { authorization: 'Bearer ${ISSUES_TOKEN}' } },
  },
};

describe('.mcp.json (Claude Code project MCP servers)', () => {
  it('ST-40 starts no server of .mcp.json that the settings do not approve', async () => {
    await put('.mcp.json', MCP_JSON);
    const settings = await loadTrusted();
    expect(settings.mcpServers).toEqual({});
    expect(settings.unapprovedMcpServers).toEqual(['docs', 'issues']);
  });

  it('ST-41 enabledMcpjsonServers approves by name and expands ${VAR} and ${VAR:-default}', async () => {
    await put('.mcp.json', MCP_JSON);
    await put('.claude/settings.local.json', { enabledMcpjsonServers: ['docs', 'issues'] });
    const settings = await loadTrusted({
      ISSUES_URL: 'http://127.0.0.1:9000',
      ISSUES_TOKEN: 'tok-123',
    });
    expect(settings.mcpServers).toEqual({
      docs: { command: 'docs-server', args: ['--root', '/srv/docs'] },
      issues: {
        type: 'http',
        url: 'http://127.0.0.1:9000/mcp',
        headers: { authorization: 'Bearer tok-123' },
      },
    });
    expect(settings.unapprovedMcpServers).toEqual([]);
  });

  it('ST-42 enableAllProjectMcpServers approves all; disabledMcpjsonServers still wins', async () => {
    await put('.mcp.json', MCP_JSON);
    await put('.claude/settings.json', { enableAllProjectMcpServers: true });
    await put('.claude/settings.local.json', { disabledMcpjsonServers: ['issues'] });
    const settings = await loadTrusted();
    expect(Object.keys(settings.mcpServers)).toEqual(['docs']);
    expect(settings.unapprovedMcpServers).toEqual([]);
  });

  it('ST-43 a server of the same name in a settings file wins over .mcp.json', async () => {
    await put('.mcp.json', MCP_JSON);
    await put('.dynaflow/settings.json', {
      enableAllProjectMcpServers: true,
      mcpServers: { issues: { command: 'local-issues' } },
    });
    const settings = await loadTrusted();
    expect(settings.mcpServers['issues']).toEqual({ command: 'local-issues' });
    expect(settings.mcpServers['docs']).toEqual({ command: 'docs-server', args: ['--root', '/srv/docs'] });
  });

  it('ST-44 an approved server naming an unset variable without default is CONFIG_INVALID at its line', async () => {
    await put('.mcp.json', MCP_JSON);
    await put('.claude/settings.local.json', { enabledMcpjsonServers: ['issues'] });
    const error = await loadTrusted().catch((caught: unknown) => caught);
    expect(DynaflowError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
    const written = JSON.stringify(MCP_JSON, null, 2).split('\n');
    const issuesLine = written.findIndex((line) => line.includes('"issues"')) + 1;
    expect((error as DynaflowError).location).toMatchObject({
      file: path.join(project, '.mcp.json'),
      line: issuesLine,
    });
    expect((error as DynaflowError).message).toContain('ISSUES_URL');
  });

  it('ST-45 a broken .mcp.json or approval list is CONFIG_INVALID naming the file', async () => {
    await put('.mcp.json', '{ "mcpServers": { "docs": { "command": "x", } } }');
    const broken = await loadTrusted().catch((caught: unknown) => caught);
    expect(DynaflowError.isInstance(broken) && broken.code).toBe('CONFIG_INVALID');
    expect((broken as DynaflowError).location?.file).toBe(path.join(project, '.mcp.json'));

    await put('.mcp.json', MCP_JSON);
    await put('.claude/settings.json', { enabledMcpjsonServers: 'docs' });
    const list = await loadTrusted().catch((caught: unknown) => caught);
    expect(DynaflowError.isInstance(list) && list.code).toBe('CONFIG_INVALID');
    expect((list as DynaflowError).location?.file).toBe(path.join(project, '.claude', 'settings.json'));
  });
});
