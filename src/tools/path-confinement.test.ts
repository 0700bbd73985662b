import { access, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createPermissionPolicy, EXPLORE, GENERAL_PURPOSE } from '../settings/index.js';
import { codeOf, createTestWorkspace, findTool, type TestWorkspace } from './internal/test-workspace.js';
import { createTools } from './index.js';

let workspace: TestWorkspace;
let outside: string;

beforeEach(async () => {
  workspace = await createTestWorkspace();
  outside = await mkdtemp(path.join(tmpdir(), 'dynaflow-outside-'));
});
afterEach(async () => {
  await workspace.remove();
  await rm(outside, { recursive: true, force: true });
});

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

function tools(agentType = GENERAL_PURPOSE) {
  return createTools({ workspace: workspace.root, permissions: createPermissionPolicy(), agentType });
}

describe('path confinement', () => {
  it('TL-01 refuses an absolute path outside the workspace and writes nothing', async () => {
    const target = path.join(outside, 'escape.txt');
    const result = await findTool(tools(), 'Write').run(
      { file_path: target, content: 'x' },
      workspace.context,
    );
    expect(codeOf(result)).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(await exists(target)).toBe(false);
  });

  it('TL-02 refuses ../ escapes for Write, Edit and Read', async () => {
    // A name of its own beside the workspace: the shared temp folder may hold anything else.
    const sibling = `escape-${path.basename(workspace.root)}`;
    const escape = path.relative(workspace.root, path.join(outside, 'x.txt'));
    expect(escape.startsWith('..')).toBe(true);
    const write = await findTool(tools(), 'Write').run(
      { file_path: `../${sibling}`, content: 'x' },
      workspace.context,
    );
    const deep = await findTool(tools(), 'Write').run({ file_path: escape, content: 'x' }, workspace.context);
    const edit = await findTool(tools(), 'Edit').run(
      { file_path: `../${sibling}`, old_string: 'a', new_string: 'b' },
      workspace.context,
    );
    const read = await findTool(tools(), 'Read').run({ file_path: '../../../etc/passwd' }, workspace.context);
    expect([write, deep, edit, read].map(codeOf)).toEqual(Array(4).fill('PATH_OUTSIDE_WORKSPACE'));
    expect(await exists(path.join(outside, 'x.txt'))).toBe(false);
    expect(await exists(path.join(path.dirname(workspace.root), sibling))).toBe(false);
  });

  it('TL-03 refuses writes and reads through a symlink that points outside', async () => {
    await symlink(outside, path.join(workspace.root, 'linked-dir'));
    await workspace.write('../' + path.basename(outside) + '/secret.txt', 'secret');
    await symlink(path.join(outside, 'secret.txt'), path.join(workspace.root, 'linked-file'));
    const viaDirectory = await findTool(tools(), 'Write').run(
      { file_path: 'linked-dir/new/deep.txt', content: 'x' },
      workspace.context,
    );
    const viaFile = await findTool(tools(), 'Write').run(
      { file_path: 'linked-file', content: 'overwritten' },
      workspace.context,
    );
    const read = await findTool(tools(), 'Read').run({ file_path: 'linked-file' }, workspace.context);
    expect([viaDirectory, viaFile, read].map(codeOf)).toEqual(Array(3).fill('PATH_OUTSIDE_WORKSPACE'));
    expect(await exists(path.join(outside, 'new'))).toBe(false);
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('TL-04 allows symlinks that stay inside, and absolute paths inside', async () => {
    await workspace.write('real/a.txt', 'inside');
    await symlink(path.join(workspace.root, 'real'), path.join(workspace.root, 'alias'));
    const read = await findTool(tools(), 'Read').run({ file_path: 'alias/a.txt' }, workspace.context);
    expect(read.isError).toBeFalsy();
    expect(read.content).toContain('inside');
    const write = await findTool(tools(), 'Write').run(
      { file_path: path.join(workspace.root, 'sub', 'b.txt'), content: 'b' },
      workspace.context,
    );
    expect(write.isError).toBeFalsy();
    expect(await readFile(path.join(workspace.root, 'sub', 'b.txt'), 'utf8')).toBe('b');
  });

  it('TL-05 refuses a Glob pattern that climbs out of the workspace', async () => {
    await workspace.write('../' + path.basename(outside) + '/leak.txt', 'x');
    const climbing = await findTool(tools(), 'Glob').run({ pattern: '../**/leak.txt' }, workspace.context);
    const absolute = await findTool(tools(), 'Glob').run(
      { pattern: path.join(outside, '*.txt') },
      workspace.context,
    );
    const search = await findTool(tools(), 'Grep').run({ pattern: 'x', path: outside }, workspace.context);
    expect([climbing, absolute, search].map(codeOf)).toEqual(Array(3).fill('PATH_OUTSIDE_WORKSPACE'));
  });

  it('TL-06 gives an Explore agent no writing tools and a Bash limited to read-only commands', async () => {
    await workspace.write('a.txt', 'hello\n');
    const explore = tools(EXPLORE);
    expect(explore.map((tool) => tool.definition.name).sort()).toEqual(['Bash', 'Glob', 'Grep', 'Read']);
    const bash = findTool(explore, 'Bash');
    for (const command of [
      'echo x > b.txt',
      'rm a.txt',
      'touch b.txt',
      'cat a.txt && rm a.txt',
      'find . -delete',
      'echo $(rm a.txt)',
    ]) {
      const result = await bash.run({ command }, workspace.context);
      expect(codeOf(result), command).toBe('PERMISSION_DENIED');
    }
    expect(await exists(path.join(workspace.root, 'b.txt'))).toBe(false);
    expect(await readFile(path.join(workspace.root, 'a.txt'), 'utf8')).toBe('hello\n');
    const allowed = await bash.run({ command: 'cat a.txt | wc -l' }, workspace.context);
    expect(allowed.isError).toBeFalsy();
    expect(allowed.content.trim()).toBe('1');
  });
});
