import { readFile, utimes } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { codeOf, createTestWorkspace, type TestWorkspace } from './internal/test-workspace.js';
import { createEditTool, createGlobTool, createReadTool, createWriteTool } from './index.js';

let workspace: TestWorkspace;
beforeEach(async () => {
  workspace = await createTestWorkspace();
});
afterEach(() => workspace.remove());

const read = (input: unknown) => createReadTool().run(input, workspace.context);
const edit = (input: unknown) => createEditTool().run(input, workspace.context);
const contents = (file: string) => readFile(path.join(workspace.root, file), 'utf8');

describe('Edit', () => {
  it('TL-10 replaces exactly the matched text', async () => {
    await workspace.write('a.ts', 'const a = 1;\nconst b = 2;\n');
    const result = await edit({ file_path: 'a.ts', old_string: 'b = 2', new_string: 'b = $& 3' });
    expect(result.isError).toBeFalsy();
    expect(await contents('a.ts')).toBe('const a = 1;\nconst b = $& 3;\n');
  });

  it('TL-11 refuses an ambiguous match, naming the count, and changes nothing', async () => {
    await workspace.write('a.ts', 'x\nx\nx\n');
    const result = await edit({ file_path: 'a.ts', old_string: 'x', new_string: 'y' });
    expect(codeOf(result)).toBe('TOOL_FAILED');
    expect(result.content).toContain('3 matches');
    expect(await contents('a.ts')).toBe('x\nx\nx\n');
    const all = await edit({ file_path: 'a.ts', old_string: 'x', new_string: 'y', replace_all: true });
    expect(all.isError).toBeFalsy();
    expect(await contents('a.ts')).toBe('y\ny\ny\n');
  });

  it('TL-12 reports 0 matches, identical strings, and a missing file as errors', async () => {
    await workspace.write('a.ts', 'hello\n');
    const missing = await edit({ file_path: 'a.ts', old_string: 'absent', new_string: 'x' });
    expect(codeOf(missing)).toBe('TOOL_FAILED');
    expect(missing.content).toContain('0 matches');
    expect(codeOf(await edit({ file_path: 'a.ts', old_string: 'hello', new_string: 'hello' }))).toBe(
      'TOOL_INPUT_INVALID',
    );
    expect(codeOf(await edit({ file_path: 'nope.ts', old_string: 'a', new_string: 'b' }))).toBe(
      'TOOL_FAILED',
    );
    expect(codeOf(await edit({ file_path: 'a.ts', old_string: 3, new_string: 'b' }))).toBe(
      'TOOL_INPUT_INVALID',
    );
    expect(await contents('a.ts')).toBe('hello\n');
  });

  it('TL-13 creates a new file from an empty old_string', async () => {
    const result = await edit({ file_path: 'new/file.txt', old_string: '', new_string: 'fresh' });
    expect(result.isError).toBeFalsy();
    expect(await contents('new/file.txt')).toBe('fresh');
  });
});

describe('Read and Write', () => {
  it('TL-14 numbers lines like cat -n and pages with offset/limit', async () => {
    await workspace.write(
      'lines.txt',
      Array.from({ length: 10 }, (_, index) => `line ${index + 1}`).join('\n'),
    );
    const all = await read({ file_path: 'lines.txt' });
    expect(all.content.split('\n')[0]).toBe('     1\tline 1');
    const page = await read({ file_path: 'lines.txt', offset: 4, limit: 2 });
    expect(page.content).toBe('     4\tline 4\n     5\tline 5\n(more lines follow; continue with offset 6)');
    expect((await read({ file_path: 'lines.txt', offset: 50 })).content).toContain('past the end');
  });

  it('TL-15 truncates long lines and refuses directories, binaries and missing files', async () => {
    await workspace.write('long.txt', 'x'.repeat(5000));
    const long = await read({ file_path: 'long.txt' });
    expect(long.content.length).toBeLessThan(2100);
    expect(long.content).toContain('[line truncated]');
    await workspace.write('bin.dat', 'a\u0000b');
    expect(codeOf(await read({ file_path: 'bin.dat' }))).toBe('TOOL_FAILED');
    expect(codeOf(await read({ file_path: '.' }))).toBe('TOOL_FAILED');
    expect(codeOf(await read({ file_path: 'missing.txt' }))).toBe('TOOL_FAILED');
    expect(codeOf(await read({}))).toBe('TOOL_INPUT_INVALID');
  });

  it('TL-18 reads CRLF files, a last line without newline, and a huge single line in bounded pieces', async () => {
    await workspace.write('crlf.txt', 'one\r\ntwo\r\n');
    expect((await read({ file_path: 'crlf.txt' })).content).toBe('     1\tone\n     2\ttwo');
    await workspace.write('three.txt', 'a\nb\nc');
    expect((await read({ file_path: 'three.txt', offset: 2, limit: 1 })).content).toBe(
      '     2\tb\n(more lines follow; continue with offset 3)',
    );
    expect((await read({ file_path: 'three.txt', offset: 3 })).content).toBe('     3\tc');
    expect((await read({ file_path: 'three.txt', offset: 9 })).content).toContain('has 3 lines');
    // 3 MB on one line, split across many stream chunks: shown cut at the line limit.
    await workspace.write('huge.txt', `${'x'.repeat(3_000_000)}\nafter\n`);
    const huge = await read({ file_path: 'huge.txt' });
    expect(huge.content).toBe(`     1\t${'x'.repeat(2000)}… [line truncated]\n     2\tafter`);
    await workspace.write('edge.txt', `${'y'.repeat(2000)}\r\n`);
    expect((await read({ file_path: 'edge.txt' })).content).toBe(`     1\t${'y'.repeat(2000)}`);
  });

  it('TL-16 Write creates parent directories and overwrites', async () => {
    const write = createWriteTool();
    expect(
      (await write.run({ file_path: 'a/b/c.txt', content: 'one' }, workspace.context)).content,
    ).toContain('created');
    expect(
      (await write.run({ file_path: 'a/b/c.txt', content: 'two' }, workspace.context)).content,
    ).toContain('updated');
    expect(await contents('a/b/c.txt')).toBe('two');
  });
});

describe('Glob', () => {
  it('TL-17 lists matches newest first and skips .git and node_modules', async () => {
    const older = await workspace.write('src/old.ts', '');
    const newer = await workspace.write('src/new.ts', '');
    await workspace.write('node_modules/dep/index.ts', '');
    await workspace.write('.git/hooks/x.ts', '');
    await utimes(older, new Date('2020-01-01'), new Date('2020-01-01'));
    await utimes(newer, new Date('2024-01-01'), new Date('2024-01-01'));
    const result = await createGlobTool().run({ pattern: '**/*.ts' }, workspace.context);
    const realRoot = path.dirname(path.dirname(result.content.split('\n')[0] ?? ''));
    expect(result.content.split('\n')).toEqual([
      path.join(realRoot, 'src/new.ts'),
      path.join(realRoot, 'src/old.ts'),
    ]);
    const scoped = await createGlobTool().run({ pattern: '*.ts', path: 'src' }, workspace.context);
    expect(scoped.content.split('\n')).toHaveLength(2);
    expect((await createGlobTool().run({ pattern: '*.md' }, workspace.context)).content).toBe(
      'No files found',
    );
  });
});
