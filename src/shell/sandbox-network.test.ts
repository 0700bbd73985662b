/** SN-*: the sandbox's network: off by default, allow-listed hosts through the parent's proxy. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { CommandSandbox, runShell } from './index.js';
import { isHostAllowed, parseHostPatterns } from './internal/host-patterns.js';
import { createScratch, type Scratch } from './internal/test-support.js';

let server: http.Server;
let port: number;
let scratch: Scratch;
const sandboxes: CommandSandbox[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => response.end(`hello from ${request.url ?? ''}\n`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(async () => {
  scratch = await createScratch();
});
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
  await scratch.remove();
});

function sandboxWith(networkAllow: string[]): CommandSandbox {
  const sandbox = new CommandSandbox({ mode: 'auto', homeDir: scratch.home, networkAllow });
  sandboxes.push(sandbox);
  return sandbox;
}

function curl(sandbox: CommandSandbox, url: string): ReturnType<typeof runShell> {
  return runShell({
    command: `curl -sS -m 10 -w ' status=%{http_code}' ${url}`,
    cwd: scratch.workspace,
    timeoutMs: 30_000,
    sandbox,
  });
}

describe('sandbox network', () => {
  it('SN-01 a loopback server of the host is unreachable with the network off', async () => {
    const result = await curl(sandboxWith([]), `http://127.0.0.1:${port}/off`);
    expect(result.sandboxed).toBe(true);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).not.toContain('hello');
    // Unsandboxed the same request works: the server is really there.
    const bare = await runShell({
      command: `curl -sS -m 10 http://127.0.0.1:${port}/bare`,
      cwd: scratch.workspace,
      timeoutMs: 30_000,
    });
    expect(bare.stdout).toBe('hello from /bare\n');
  });

  it('SN-02 an allow-listed host:port is reached through the proxy; others get 403', async () => {
    const sandbox = sandboxWith([`127.0.0.1:${port}`]);
    const allowed = await curl(sandbox, `http://127.0.0.1:${port}/allowed`);
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toBe('hello from /allowed\n status=200');
    const otherPort = await curl(sandbox, `http://127.0.0.1:${port === 65_535 ? port - 1 : port + 1}/`);
    expect(otherPort.stdout).toContain('status=403');
    const otherHost = await curl(sandbox, 'http://example.invalid/');
    expect(otherHost.stdout).toContain('status=403');
    // HTTPS goes through CONNECT: a host not on the list is refused before any TLS.
    const tunnel = await curl(sandbox, 'https://example.invalid/');
    expect(tunnel.exitCode).not.toBe(0);
    expect(tunnel.stderr).toMatch(/403/);
  });

  it('SN-03 the proxy variables are set for the command and NO_PROXY is cleared', async () => {
    const sandbox = sandboxWith(['registry.npmjs.org']);
    const result = await runShell({
      command: 'echo "$HTTPS_PROXY|$http_proxy|$ALL_PROXY|${NO_PROXY:-none}"',
      cwd: scratch.workspace,
      timeoutMs: 30_000,
      environment: { ...process.env, NO_PROXY: '*' },
      sandbox,
    });
    expect(result.stdout).toMatch(/^(http:\/\/127\.0\.0\.1:\d+)\|\1\|\1\|none\n$/);
  });
});

describe('network allow-list patterns', () => {
  it('SN-04 hosts, host:port, *.domain and [v6]:port match as documented', () => {
    const patterns = parseHostPatterns(['registry.npmjs.org', '*.pypi.org', '127.0.0.1:4873', '[::1]:8080']);
    expect(isHostAllowed(patterns, 'registry.npmjs.org', 443)).toBe(true);
    expect(isHostAllowed(patterns, 'REGISTRY.npmjs.org', 80)).toBe(true);
    expect(isHostAllowed(patterns, 'evil-registry.npmjs.org', 443)).toBe(false);
    expect(isHostAllowed(patterns, 'files.pypi.org', 443)).toBe(true);
    expect(isHostAllowed(patterns, 'pypi.org', 443)).toBe(false);
    expect(isHostAllowed(patterns, 'pypi.org.evil.com', 443)).toBe(false);
    expect(isHostAllowed(patterns, '127.0.0.1', 4873)).toBe(true);
    expect(isHostAllowed(patterns, '127.0.0.1', 4874)).toBe(false);
    expect(isHostAllowed(patterns, '::1', 8080)).toBe(true);
  });

  it('SN-05 a bad entry is CONFIG_INVALID naming the settings key', () => {
    for (const entry of ['http://registry.npmjs.org', 'host:99999', '', 'a b', '*']) {
      expect(() => parseHostPatterns([entry])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
    expect(() => new CommandSandbox({ mode: 'auto', networkAllow: ['host:0'] })).toThrow(
      /sandbox\.network\.allow/,
    );
  });
});
