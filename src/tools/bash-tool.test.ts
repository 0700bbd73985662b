import { existsSync, readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { codeOf, createTestWorkspace, type TestWorkspace } from './internal/test-workspace.js';
import { createBashTool } from './index.js';

let workspace: TestWorkspace;

/** Alive and not a zombie (a killed orphan may wait a moment for init to reap it). */
function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    try {
      process.kill(pid, 0);
      return existsSync('/proc/self') ? false : true;
    } catch {
      return false;
    }
  }
}
async function stopsWithin(pid: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

beforeEach(async () => {
  workspace = await createTestWorkspace();
});
afterEach(() => workspace.remove());

describe('Bash', () => {
  it('TL-30 runs in the workspace and reports the exit code', async () => {
    const bash = createBashTool();
    const ok = await bash.run({ command: 'pwd' }, workspace.context);
    expect(ok.isError).toBeFalsy();
    expect(ok.content.trim()).toMatch(new RegExp(`${workspace.root.split('/').pop() ?? ''}$`));
    const failed = await bash.run({ command: 'echo oops >&2; exit 3' }, workspace.context);
    expect(failed.isError).toBe(true);
    expect(failed.content).toBe('oops\nExit code 3');
  });

  it('TL-31 kills the whole process group on timeout', async () => {
    const bash = createBashTool();
    // The child writes its pid, then sleeps far longer than the timeout.
    const result = await bash.run({ command: 'sleep 30 & echo $!; wait', timeout: 300 }, workspace.context);
    expect(result.isError).toBe(true);
    expect(result.content).toContain('timed out after 300 ms');
    const pid = Number(result.content.split('\n')[0]);
    expect(Number.isInteger(pid)).toBe(true);
    // SIGKILL went to the whole group before the tool returned; on a loaded machine the kernel may
    // need a moment to finish the background child, so look for up to 5 s (it would sleep 30 s).
    expect(await stopsWithin(pid, 5_000)).toBe(true);
  });

  it('TL-32 stops when the agent is aborted', async () => {
    const controller = new AbortController();
    const running = createBashTool().run(
      { command: 'sleep 30' },
      { workspace: workspace.root, signal: controller.signal },
    );
    controller.abort();
    const result = await running;
    expect(result.isError).toBe(true);
    expect(result.content).toContain('aborted');
  });

  it('TL-33 keeps the head and the tail of long output', async () => {
    const bash = createBashTool({ outputLimit: 3000 });
    const result = await bash.run({ command: 'seq 1 20000; echo THE-END' }, workspace.context);
    expect(result.isError).toBeFalsy();
    expect(result.content.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.content.endsWith('20000\nTHE-END')).toBe(true);
    expect(result.content).toMatch(/\[\.\.\. \d+ chars truncated \.\.\.\]/);
    expect(result.content.length).toBeLessThan(3200);
  });

  it('TL-34 scrubs credentials from the environment', async () => {
    const environment = {
      ...process.env,
      ANTHROPIC_API_KEY: 'sk-ant-fake',
      AWS_REGION: 'us-east-1',
      MY_SERVICE_TOKEN: 'tok',
      GH_PAT: 'ghp',
      HARMLESS_SETTING: 'kept',
    };
    const result = await createBashTool({ environment }).run({ command: 'env' }, workspace.context);
    expect(result.content).not.toContain('sk-ant-fake');
    expect(result.content).not.toMatch(/^(ANTHROPIC_API_KEY|AWS_REGION|MY_SERVICE_TOKEN|GH_PAT)=/m);
    expect(result.content).toContain('HARMLESS_SETTING=kept');
    expect(result.content).toMatch(/^PATH=/m);
  });

  it('TL-35 scrubs the parent process environment by default', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-parent-fake';
    try {
      const result = await createBashTool().run({ command: 'env' }, workspace.context);
      expect(result.content).not.toContain('sk-ant-parent-fake');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  });

  it('TL-36 rejects bad input without running anything', async () => {
    const bash = createBashTool();
    expect(codeOf(await bash.run({}, workspace.context))).toBe('TOOL_INPUT_INVALID');
    expect(codeOf(await bash.run({ command: '  ' }, workspace.context))).toBe('TOOL_INPUT_INVALID');
    expect(codeOf(await bash.run({ command: 'ls', timeout: 'soon' }, workspace.context))).toBe(
      'TOOL_INPUT_INVALID',
    );
  });
});
