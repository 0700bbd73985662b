import { readdirSync, readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CommandSandbox, runShell } from './index.js';
import { createScratch, type Scratch } from './internal/test-support.js';

let scratch: Scratch;
beforeEach(async () => {
  scratch = await createScratch();
});
afterEach(() => scratch.remove());

function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

// Each behaviour holds with and without the OS sandbox: both paths are the one runner.
describe.each([
  ['unsandboxed', () => undefined],
  ['sandboxed', () => new CommandSandbox({ mode: 'auto', homeDir: scratch.home })],
])('runShell (%s)', (_name, makeSandbox) => {
  it('SH-01 returns when the shell exits, killing what it left in the background', async () => {
    const sandbox = makeSandbox();
    const started = Date.now();
    const result = await runShell({
      command: 'sleep 30 & echo started',
      cwd: scratch.workspace,
      timeoutMs: 10_000,
      ...(sandbox ? { sandbox } : {}),
    });
    expect(result.stopped).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('started\n');
    // Without the group kill on exit, the sleep holds the pipe until the 10 s timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('SH-02 a timeout kills the whole process group', async () => {
    const sandbox = makeSandbox();
    const result = await runShell({
      command: 'sleep 37.25 & wait',
      cwd: scratch.workspace,
      timeoutMs: 500,
      ...(sandbox ? { sandbox } : {}),
    });
    expect(result.stopped).toBe('timeout');
    expect(result.exitCode).toBeNull();
    // Sandboxed, `$!` is a pid of the sandbox's namespace: look for the sleeper by its odd argument.
    expect(await noSleeperWithin(5_000, '37.25')).toBe(true);
  });

  it('SH-03 an abort kills the whole process group', async () => {
    const sandbox = makeSandbox();
    const controller = new AbortController();
    const running = runShell({
      command: 'sleep 31.75 & wait',
      cwd: scratch.workspace,
      timeoutMs: 30_000,
      signal: controller.signal,
      ...(sandbox ? { sandbox } : {}),
    });
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    expect(result.stopped).toBe('abort');
    expect(await noSleeperWithin(5_000, '31.75')).toBe(true);
  });

  it('SH-04 keeps the head and the tail of long output, stdout and stderr apart or merged', async () => {
    const sandbox = makeSandbox();
    const apart = await runShell({
      command: 'seq 1 20000; echo oops >&2',
      cwd: scratch.workspace,
      timeoutMs: 10_000,
      outputLimit: 3000,
      ...(sandbox ? { sandbox } : {}),
    });
    expect(apart.stdout.startsWith('1\n2\n')).toBe(true);
    expect(apart.stdout.endsWith('20000\n')).toBe(true);
    expect(apart.stdout).toMatch(/\[\.\.\. \d+ chars truncated \.\.\.\]/);
    expect(apart.stderr).toBe('oops\n');
    const merged = await runShell({
      command: 'echo one; echo two >&2',
      cwd: scratch.workspace,
      timeoutMs: 10_000,
      mergeStderr: true,
      ...(sandbox ? { sandbox } : {}),
    });
    expect(merged.stdout).toBe('one\ntwo\n');
    expect(merged.stderr).toBe('');
  });

  it('SH-05 scrubs credentials from the environment', async () => {
    const sandbox = makeSandbox();
    const result = await runShell({
      command: 'echo "${ANTHROPIC_API_KEY:-none} $KEEP"',
      cwd: scratch.workspace,
      timeoutMs: 10_000,
      environment: { PATH: process.env.PATH ?? '', ANTHROPIC_API_KEY: 'sk-ant-test-secret', KEEP: 'kept' },
      ...(sandbox ? { sandbox } : {}),
    });
    expect(result.stdout).toBe('none kept\n');
  });
});

/** No `sleep <seconds>` of these tests is left on the machine. */
async function noSleeperWithin(limitMs: number, seconds: string): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const sleepers = sleepersOf(seconds);
    if (sleepers.length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function sleepersOf(seconds: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || !isAlive(pid)) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0] === 'sleep' && argv[1] === seconds) {
        pids.push(pid);
      }
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function readdirSafe(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}
