/**
 * SB-*: what a sandboxed command cannot reach. These run wherever bubblewrap works (CI installs
 * it); on a machine without it the first test says why instead of passing vacuously.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CommandSandbox, detectOsSandbox, runShell, type ShellResult } from './index.js';
import { createScratch, PLANTED_SECRET, runFromParent, type Scratch } from './internal/test-support.js';

let scratch: Scratch;
let sandbox: CommandSandbox;
beforeEach(async () => {
  scratch = await createScratch();
  sandbox = new CommandSandbox({ mode: 'auto', homeDir: scratch.home, deniedPaths: [scratch.state] });
});
afterEach(async () => {
  await sandbox.close();
  await scratch.remove();
});

function run(command: string, cwd = scratch.workspace): Promise<ShellResult> {
  return runShell({ command, cwd, workspace: scratch.workspace, timeoutMs: 20_000, sandbox });
}

const FAKE_KEY = 'sk-ant-test-0123456789abcdef-parent-only';

describe('the OS sandbox', () => {
  it('SB-01 bubblewrap is available and working on this machine', async () => {
    const detection = await detectOsSandbox();
    expect(detection.reason).toBe(detection.executable);
    expect(detection).toMatchObject({ available: true, kind: 'bubblewrap' });
  });

  it("SB-02 the parent's environment is unreachable: /proc/$PPID/environ and every /proc/*/environ", async () => {
    const command =
      'tr "\\0" "\\n" < /proc/$PPID/environ; for f in /proc/[0-9]*/environ; do tr "\\0" "\\n" < "$f"; done 2>/dev/null; true';
    const sandboxed = await runFromParent(
      { command, cwd: scratch.workspace, sandbox: true },
      { ANTHROPIC_API_KEY: FAKE_KEY },
    );
    expect(sandboxed.sandboxed).toBe(true);
    expect(sandboxed.stdout).toContain('PATH=');
    expect(sandboxed.stdout).not.toContain(FAKE_KEY);
    // The same command unsandboxed reads the key out of its parent: what the sandbox prevents.
    const bare = await runFromParent(
      { command, cwd: scratch.workspace, sandbox: false },
      { ANTHROPIC_API_KEY: FAKE_KEY },
    );
    expect(bare.stdout).toContain(FAKE_KEY);
  });

  it('SB-03 only the workspace is writable: ../outside, the home directory and the host /tmp are not', async () => {
    const inside = await run('echo x > inside.txt && mkdir -p sub && echo y > sub/f');
    expect(inside.exitCode).toBe(0);
    expect(readFileSync(path.join(scratch.workspace, 'inside.txt'), 'utf8')).toBe('x\n');
    const outside = await run('echo x > ../outside');
    expect(outside.exitCode).not.toBe(0);
    expect(outside.stderr).toMatch(/Read-only file system/);
    expect(existsSync(path.join(scratch.root, 'outside'))).toBe(false);
    const removal = await run('rm -f ../home/.netrc');
    expect(removal.exitCode).not.toBe(0);
    // /tmp is read-only: a write through a symlink to it fails.
    const marker = `dynaflow-sb03-${process.pid}-${Date.now()}`;
    const linked = await run(`ln -s /tmp link && echo x > link/${marker}`);
    expect(linked.exitCode).not.toBe(0);
    expect(linked.stderr).toMatch(/Read-only file system/);
    expect(existsSync(path.join('/tmp', marker))).toBe(false);
    // The command's own temporary directory is $TMPDIR, and what tools create there works.
    const temporary = await run('f=$(mktemp) && echo y > "$f" && cat "$f" && echo "TMPDIR=$TMPDIR"');
    expect(temporary.stdout).toMatch(/^y\nTMPDIR=\/tmp\/dynaflow-cmd-\w+\n$/);
    // A symlink to a real host directory outside the workspace is read-only.
    const escape = await run(`ln -s ${scratch.home} homelink && echo x > homelink/planted`);
    expect(escape.exitCode).not.toBe(0);
    expect(existsSync(path.join(scratch.home, 'planted'))).toBe(false);
  });

  it('SB-04 credentials in the home directory and the journal directory read as empty', async () => {
    const result = await run(
      `cat ${scratch.home}/.ssh/id_rsa ${scratch.home}/.aws/credentials ${scratch.home}/.netrc ${scratch.state}/journal.sqlite; ls -A ${scratch.home}/.ssh ${scratch.state}; true`,
    );
    expect(result.stdout + result.stderr).not.toContain(PLANTED_SECRET);
    expect(result.stderr).toMatch(/id_rsa: No such file or directory/);
    // Unsandboxed the same command reads them: the planted files are real.
    const bare = await runShell({
      command: `cat ${scratch.home}/.ssh/id_rsa`,
      cwd: scratch.workspace,
      timeoutMs: 10_000,
    });
    expect(bare.stdout).toBe(PLANTED_SECRET);
  });

  it('SB-05 no capabilities and no other process of the machine are visible', async () => {
    const result = await run('grep CapEff /proc/self/status; ls /proc | grep -c "^[0-9]"');
    const [capabilities, processes] = result.stdout.trim().split('\n');
    expect(capabilities).toMatch(/CapEff:\s+0+$/);
    expect(Number(processes)).toBeLessThan(10);
  });

  it("SB-06 git commits in a linked worktree; the main repository's working tree and hooks stay read-only", async () => {
    const main = path.join(scratch.root, 'main');
    await mkdir(main);
    const git = (cwd: string, ...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });
    git(main, 'init', '--quiet', '--initial-branch=main');
    await writeFile(path.join(main, 'a.txt'), 'a\n');
    git(main, 'add', '-A');
    git(main, 'commit', '--quiet', '-m', 'initial');
    const worktree = path.join(main, '.dynaflow', 'worktrees', 'run', 'agent');
    git(main, 'worktree', 'add', '--quiet', '-b', 'agent', worktree);
    const agentSandbox = new CommandSandbox({
      mode: 'auto',
      homeDir: scratch.home,
      deniedPaths: [path.join(main, '.dynaflow')],
    });
    const inWorktree = (command: string): Promise<ShellResult> =>
      runShell({ command, cwd: worktree, timeoutMs: 20_000, sandbox: agentSandbox });
    const commit = await inWorktree(
      'echo b > b.txt && git add b.txt && git -c user.name=a -c user.email=a@a commit --quiet -m agent && git log --format=%s -1',
    );
    expect(commit.stderr).toBe('');
    expect(commit.stdout).toBe('agent\n');
    expect(git(main, 'log', '--format=%s', '-1', 'agent')).toBe('agent\n');
    const mainTree = await inWorktree(`echo x > ${main}/a.txt`);
    expect(mainTree.exitCode).not.toBe(0);
    const hook = await inWorktree(`echo 'touch /tmp/pwned' > ${main}/.git/hooks/post-commit`);
    expect(hook.exitCode).not.toBe(0);
    expect(readFileSync(path.join(main, 'a.txt'), 'utf8')).toBe('a\n');
    await agentSandbox.close();
  });

  it('SB-07 --no-sandbox (mode off) runs commands as they are, without a warning', async () => {
    const warnings: string[] = [];
    const off = new CommandSandbox({ mode: 'off', warn: (message) => warnings.push(message) });
    const result = await runShell({
      command: 'echo x > ../off.txt',
      cwd: scratch.workspace,
      timeoutMs: 10_000,
      sandbox: off,
    });
    expect(result.sandboxed).toBe(false);
    expect(existsSync(path.join(scratch.root, 'off.txt'))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('SB-08 without a working sandbox commands run unsandboxed and the run is warned once', async () => {
    const warnings: string[] = [];
    const missing = new CommandSandbox({
      mode: 'auto',
      warn: (message) => warnings.push(message),
      detection: {
        available: false,
        kind: 'none',
        reason: 'bubblewrap not found (apt-get install bubblewrap)',
      },
    });
    for (let index = 0; index < 3; index += 1) {
      const result = await runShell({
        command: 'true',
        cwd: scratch.workspace,
        timeoutMs: 10_000,
        sandbox: missing,
      });
      expect(result.sandboxed).toBe(false);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^NOT sandboxed: bubblewrap not found/);
  });
});
