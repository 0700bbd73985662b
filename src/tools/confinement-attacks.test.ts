/**
 * A hostile or confused model's attempts to reach outside the workspace with the file tools
 * (path-confinement.test.ts has the basic cases: absolute paths, ../, one symlink).
 */
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { access, link, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ToolResult } from '../agent/types.js';
import { openConfined } from './internal/confined-file.js';
import { codeOf, createTestWorkspace, type TestWorkspace } from './internal/test-workspace.js';
import {
  createEditTool,
  createGlobTool,
  createGrepTool,
  createReadTool,
  createWriteTool,
  resolveWorkspacePath,
} from './index.js';

let workspace: TestWorkspace;
let outside: string;
beforeEach(async () => {
  workspace = await createTestWorkspace();
  outside = await mkdtemp(path.join(tmpdir(), 'dynaflow-outside-'));
  await writeFile(path.join(outside, 'secret.txt'), 'needle secret\n');
});
afterEach(async () => {
  await workspace.remove();
  await rm(outside, { recursive: true, force: true });
});

const at = (file: string) => path.join(workspace.root, file);
const link_ = (target: string, name: string) => symlink(target, at(name));
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );
const read = (input: object) => createReadTool().run(input, workspace.context);
const write = (input: object) => createWriteTool().run(input, workspace.context);
const edit = (input: object) => createEditTool().run(input, workspace.context);
const secretUnchanged = async () =>
  expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('needle secret\n');

describe('symlink attacks', () => {
  it('TL-70 refuses chains, /proc links and offset reads that lead outside', async () => {
    await link_(path.join(outside, 'secret.txt'), 'b');
    await link_(at('b'), 'a');
    await link_('/proc/self/environ', 'environ');
    await link_('/proc/self/root', 'root');
    await link_(outside, 'dir');
    const attempts: ToolResult[] = [
      await read({ file_path: 'a' }),
      await read({ file_path: 'a', offset: 1, limit: 1 }),
      await read({ file_path: 'environ' }),
      await read({ file_path: 'root/etc/passwd' }),
      await read({ file_path: 'dir/secret.txt', offset: 2 }),
      await edit({ file_path: 'a', old_string: 'needle', new_string: 'pin' }),
      await edit({ file_path: 'dir/secret.txt', old_string: 'needle', new_string: 'pin' }),
      await edit({ file_path: 'dir/created.txt', old_string: '', new_string: 'x' }),
      await write({ file_path: 'dir/new.txt', content: 'x' }),
      await write({ file_path: 'root/tmp/escape.txt', content: 'x' }),
    ];
    expect(attempts.map(codeOf)).toEqual(Array(attempts.length).fill('PATH_OUTSIDE_WORKSPACE'));
    expect(await exists(path.join(outside, 'new.txt'))).toBe(false);
    expect(await exists(path.join(outside, 'created.txt'))).toBe(false);
    await secretUnchanged();
  });

  it('TL-71 does not create a file through a dangling symlink', async () => {
    await link_(path.join(outside, 'planted.txt'), 'dangling');
    await link_(path.join(outside, 'no-dir'), 'dangling-dir');
    const viaFile = await write({ file_path: 'dangling', content: 'x' });
    const viaEdit = await edit({ file_path: 'dangling', old_string: '', new_string: 'x' });
    const viaDirectory = await write({ file_path: 'dangling-dir/a/b.txt', content: 'x' });
    expect([viaFile, viaEdit, viaDirectory].every((result) => result.isError)).toBe(true);
    expect(await exists(path.join(outside, 'planted.txt'))).toBe(false);
    expect(await exists(path.join(outside, 'no-dir'))).toBe(false);
  });

  it('TL-72 re-checks the opened file: a directory swapped for a symlink after the check is refused', async () => {
    await workspace.write('swap/f.txt', 'inside');
    const checked = await resolveWorkspacePath(workspace.root, 'swap/f.txt');
    if (!checked.ok) throw new Error('setup: the path should resolve');
    // Between the check and the open, the directory becomes a link to a look-alike outside.
    await rename(at('swap'), at('swap-real'));
    await mkdir(path.join(outside, 'swap'));
    await writeFile(path.join(outside, 'swap', 'f.txt'), 'outside');
    await link_(path.join(outside, 'swap'), 'swap');
    const opened = await openConfined(checked.path, constants.O_RDONLY);
    expect(opened.ok).toBe(false);
    expect(!opened.ok && 'result' in opened && codeOf(opened.result)).toBe('PATH_OUTSIDE_WORKSPACE');
    // The last component swapped for a symlink: O_NOFOLLOW.
    const last = await resolveWorkspacePath(workspace.root, 'swap-real/f.txt');
    if (!last.ok) throw new Error('setup: the path should resolve');
    await rm(at('swap-real/f.txt'));
    await symlink(path.join(outside, 'secret.txt'), at('swap-real/f.txt'));
    const swapped = await openConfined(last.path, constants.O_WRONLY);
    expect(!swapped.ok && 'result' in swapped && codeOf(swapped.result)).toBe('PATH_OUTSIDE_WORKSPACE');
    await secretUnchanged();
  });

  it('TL-73 does not change a hard-linked file in place (the other name may be outside)', async () => {
    await link(path.join(outside, 'secret.txt'), at('hard.txt'));
    const written = await write({ file_path: 'hard.txt', content: 'overwritten' });
    const edited = await edit({ file_path: 'hard.txt', old_string: 'needle', new_string: 'pin' });
    expect([written, edited].map(codeOf)).toEqual(['PATH_OUTSIDE_WORKSPACE', 'PATH_OUTSIDE_WORKSPACE']);
    await secretUnchanged();
  });
});

describe('odd names', () => {
  it('TL-74 keeps ~, file: URLs, backslashes and trailing slashes inside the workspace', async () => {
    for (const file of ['~/.bashrc', 'file:///etc/passwd', '..\\..\\etc\\x', 'dir/', './', 'ａ/．．/x']) {
      const result = await write({ file_path: file, content: 'x' });
      if (result.isError) expect(codeOf(result), file).toBe('TOOL_FAILED');
    }
    expect(await readFile(at('~/.bashrc'), 'utf8')).toBe('x');
    expect(await readFile(at('file:/etc/passwd'), 'utf8')).toBe('x');
    expect(await readFile(at('..\\..\\etc\\x'), 'utf8')).toBe('x');
    expect(await readFile('/etc/passwd', 'utf8')).not.toBe('x');
  });

  it('TL-75 answers (never throws) for the root itself, NUL bytes and over-long paths', async () => {
    const long = `${'a'.repeat(300)}/x.txt`;
    const results = await Promise.all([
      write({ file_path: '.', content: 'x' }),
      write({ file_path: workspace.root, content: 'x' }),
      edit({ file_path: '.', old_string: '', new_string: 'x' }),
      write({ file_path: 'a\0b', content: 'x' }),
      read({ file_path: 'a\0b' }),
      write({ file_path: long, content: 'x' }),
      edit({ file_path: long, old_string: '', new_string: 'x' }),
      edit({ file_path: long, old_string: 'a', new_string: 'b' }),
      read({ file_path: long }),
    ]);
    expect(results.map(codeOf)).toEqual([
      'TOOL_FAILED',
      'TOOL_FAILED',
      'TOOL_FAILED',
      'TOOL_INPUT_INVALID',
      'TOOL_INPUT_INVALID',
      'TOOL_FAILED',
      'TOOL_FAILED',
      'TOOL_FAILED',
      'TOOL_FAILED',
    ]);
  });

  it('TL-76 neither Read nor Write hangs on a FIFO', async () => {
    execFileSync('mkfifo', [at('pipe')]);
    expect(codeOf(await read({ file_path: 'pipe' }))).toBe('TOOL_FAILED');
    expect(codeOf(await write({ file_path: 'pipe', content: 'x' }))).toBe('TOOL_FAILED');
    expect(codeOf(await edit({ file_path: 'pipe', old_string: 'a', new_string: 'b' }))).toBe('TOOL_FAILED');
  });
});

describe('Glob and Grep', () => {
  it('TL-77 Glob does not walk into a symlinked directory that leads outside', async () => {
    await link_(outside, 'link');
    await workspace.write('sub/inside.txt', 'x');
    await link_('.', 'sub/loop');
    for (const pattern of ['link/**/*', './link/*', 'link/secret.txt', 'sub/loop/../../link/*']) {
      const result = await createGlobTool().run({ pattern }, workspace.context);
      expect(codeOf(result), pattern).toBe('PATH_OUTSIDE_WORKSPACE');
    }
    for (const pattern of ['**/*', '{..,link}/**', '*/secret.txt', '@(..)/**']) {
      const result = await createGlobTool().run({ pattern }, workspace.context);
      expect(result.content, pattern).not.toContain('secret.txt');
    }
    const loop = await createGlobTool().run({ pattern: 'sub/loop/loop/*' }, workspace.context);
    expect(loop.content).toContain('inside.txt');
  });

  it('TL-78 Grep does not follow symlinks out, by walk or by path', async () => {
    await link_(outside, 'link');
    await link_(path.join(outside, 'secret.txt'), 'file-link');
    const grep = createGrepTool({ ripgrepPath: null });
    expect((await grep.run({ pattern: 'needle' }, workspace.context)).content).toBe('No files found');
    expect(codeOf(await grep.run({ pattern: 'needle', path: 'link' }, workspace.context))).toBe(
      'PATH_OUTSIDE_WORKSPACE',
    );
    expect(codeOf(await grep.run({ pattern: 'needle', path: 'file-link' }, workspace.context))).toBe(
      'PATH_OUTSIDE_WORKSPACE',
    );
  });

  it('TL-79 Grep stops a catastrophically backtracking regex instead of freezing the process', async () => {
    await workspace.write('a.txt', `${'a'.repeat(40)}!\nfine\n`);
    await workspace.write('b.txt', 'aaa\n');
    const grep = createGrepTool({ ripgrepPath: null, regexTimeLimitMs: 200 });
    const result = await grep.run({ pattern: '(a+)+$', output_mode: 'content' }, workspace.context);
    expect(codeOf(result)).toBe('TOOL_FAILED');
    expect(result.content).toContain('backtracking');
    // A normal pattern on the same files is unaffected.
    const normal = await grep.run({ pattern: 'fine', output_mode: 'content' }, workspace.context);
    expect(normal.content).toBe(`${at('a.txt')}:2:fine`);
  });
});
