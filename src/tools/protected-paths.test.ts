import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { protectedComponent } from './internal/protected-paths.js';
import { codeOf, createTestWorkspace, type TestWorkspace } from './internal/test-workspace.js';
import { createEditTool, createReadTool, createWriteTool } from './index.js';

let workspace: TestWorkspace;
beforeEach(async () => {
  workspace = await createTestWorkspace();
  await workspace.write('.git/config', '[core]\n\tbare = false\n');
  await workspace.write('.claude/settings.json', '{}\n');
  await workspace.write('.mcp.json', '{}\n');
});
afterEach(() => workspace.remove());

const write = (file_path: string, content = 'x') =>
  createWriteTool().run({ file_path, content }, workspace.context);
const edit = (file_path: string, old_string: string, new_string: string) =>
  createEditTool().run({ file_path, old_string, new_string }, workspace.context);
const contents = (file: string) => readFile(path.join(workspace.root, file), 'utf8');

describe('protected paths', () => {
  // Each of these would let an agent run commands through git or the runtime, or change the rules.
  const refused = [
    ['a hook git runs on commit', '.git/hooks/pre-commit'],
    ['git config (core.fsmonitor runs a command)', '.git/config'],
    ['the `.git` file of a worktree (gitdir: redirect)', '.git'],
    ['upper case, as macOS sees it', '.GIT/config'],
    ['a zero-width character HFS+ ignores', '.g\u200cit/config'],
    ['a trailing dot', '.git./config'],
    ['a nested repository', 'vendor/lib/.git/config'],
    ['Claude settings (permission rules)', '.claude/settings.json'],
    ['local settings (MCP approvals)', '.claude/settings.local.json'],
    ['agent type definitions', '.claude/agents/general-purpose.md'],
    ['dynaflow state and settings', '.dynaflow/settings.json'],
    ['project MCP servers (commands the runtime starts)', '.mcp.json'],
    ['a path that climbs back in', 'src/../.git/config'],
  ] as const;

  it.each(refused)('TL-60 Write refuses %s', async (_, file) => {
    const result = await write(file, '[core]\n\tfsmonitor = "touch pwned"\n');
    expect(codeOf(result)).toBe('PERMISSION_DENIED');
  });

  it('TL-61 refuses Write and Edit through an absolute path or a symlink into .git, changing nothing', async () => {
    await symlink(path.join(workspace.root, '.git'), path.join(workspace.root, 'innocent'));
    const viaLink = await write('innocent/hooks/post-merge');
    const absolute = await write(path.join(workspace.root, '.git', 'config'));
    const edited = await edit('.git/config', 'bare = false', 'fsmonitor = "touch pwned"');
    const editViaLink = await edit('innocent/config', 'bare = false', 'fsmonitor = "touch pwned"');
    const settings = await edit('.claude/settings.json', '{}', '{"permissions":{"allow":["Bash(*)"]}}');
    const created = await edit('.dynaflow/workflows/x.workflow.js', '', 'export default 1');
    expect([viaLink, absolute, edited, editViaLink, settings, created].map(codeOf)).toEqual(
      Array(6).fill('PERMISSION_DENIED'),
    );
    expect(await contents('.git/config')).toBe('[core]\n\tbare = false\n');
    expect(await contents('.claude/settings.json')).toBe('{}\n');
    await expect(readFile(path.join(workspace.root, '.git/hooks/post-merge'))).rejects.toThrow();
  });

  it('TL-62 still allows look-alike names and reading protected files', async () => {
    for (const file of [
      '.github/workflows/ci.yml',
      '.gitignore',
      'src/git.ts',
      '.claude-notes.md',
      'git/x',
    ]) {
      expect((await write(file)).isError, file).toBeFalsy();
    }
    const read = await createReadTool().run({ file_path: '.git/config' }, workspace.context);
    expect(read.isError).toBeFalsy();
    expect(read.content).toContain('bare = false');
  });

  it('TL-63 names the protected component, and only whole names', () => {
    expect(protectedComponent('a/.Dynaflow/b')).toBe('.dynaflow');
    expect(protectedComponent('.mcp.json')).toBe('.mcp.json');
    expect(protectedComponent('\ufeff.claude/x')).toBe('.claude');
    expect(protectedComponent('.gitmodules')).toBeUndefined();
    expect(protectedComponent('x.git/y')).toBeUndefined();
    expect(protectedComponent('')).toBeUndefined();
  });

  it('TL-64 does not protect the folders a worktree workspace itself lives in', async () => {
    // Worktrees live under <project>/.dynaflow/worktrees/<run>/<name>: only names below the
    // workspace root count.
    const inner = path.join(workspace.root, '.dynaflow', 'worktrees', 'wf_1', 'agent');
    await mkdir(inner, { recursive: true });
    await writeFile(path.join(inner, 'a.txt'), 'one');
    const context = { workspace: inner, signal: workspace.context.signal };
    const result = await createEditTool().run(
      { file_path: 'a.txt', old_string: 'one', new_string: 'two' },
      context,
    );
    expect(result.isError).toBeFalsy();
    expect(await readFile(path.join(inner, 'a.txt'), 'utf8')).toBe('two');
    expect(codeOf(await createWriteTool().run({ file_path: '.git', content: 'gitdir: /tmp' }, context))).toBe(
      'PERMISSION_DENIED',
    );
  });
});
