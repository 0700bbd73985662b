import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ToolResult } from '../agent/types.js';
import { codeOf, createTestWorkspace, type TestWorkspace } from './internal/test-workspace.js';
import { createGrepTool } from './index.js';

let workspace: TestWorkspace;
beforeEach(async () => {
  workspace = await createTestWorkspace();
  await workspace.write('src/a.ts', 'const alpha = 1;\nconst beta = 2;\nconst ALPHA = 3;\n');
  await workspace.write('src/b.js', 'alpha();\n');
  await workspace.write('docs/readme.md', 'nothing here\n');
  await workspace.write('node_modules/x/alpha.ts', 'alpha\n');
  await workspace.write('bin.dat', 'alpha\u0000');
});
afterEach(() => workspace.remove());

const grep = (input: Record<string, unknown>): Promise<ToolResult> =>
  createGrepTool({ ripgrepPath: null }).run(input, workspace.context);
const file = (name: string) => path.join(workspace.root, name);

describe('Grep (JavaScript engine)', () => {
  it('TL-20 lists matching files, skipping binaries and node_modules', async () => {
    const result = await grep({ pattern: 'alpha' });
    expect(result.content.split('\n')[0]).toBe('Found 2 files');
    expect(result.content.split('\n').slice(1).sort()).toEqual([file('src/a.ts'), file('src/b.js')]);
  });

  it('TL-21 shows content with line numbers, case-insensitively, filtered by glob', async () => {
    const result = await grep({ pattern: 'alpha', output_mode: 'content', '-i': true, glob: '*.ts' });
    expect(result.content).toBe(
      `${file('src/a.ts')}:1:const alpha = 1;\n${file('src/a.ts')}:3:const ALPHA = 3;`,
    );
    const context = await grep({ pattern: 'beta', output_mode: 'content', '-B': 1, path: 'src/a.ts' });
    expect(context.content).toBe(
      `${file('src/a.ts')}-1-const alpha = 1;\n${file('src/a.ts')}:2:const beta = 2;`,
    );
  });

  it('TL-22 counts matching lines and honours head_limit', async () => {
    const count = await grep({ pattern: 'alpha', output_mode: 'count', '-i': true });
    expect(count.content).toContain(`${file('src/a.ts')}:2`);
    expect(count.content).toContain('Found 3 matching lines across 2 files.');
    const limited = await grep({ pattern: '.', output_mode: 'content', head_limit: 2 });
    expect(limited.content.split('\n').slice(0, 2)).toHaveLength(2);
    expect(limited.content).toContain('more lines not shown');
  });

  it('TL-23 reports no match and invalid patterns', async () => {
    expect((await grep({ pattern: 'zzz' })).content).toBe('No files found');
    expect(codeOf(await grep({ pattern: '(' }))).toBe('TOOL_INPUT_INVALID');
    expect(codeOf(await grep({ pattern: 'a', output_mode: 'lines' }))).toBe('TOOL_INPUT_INVALID');
  });

  it('TL-24 formats ripgrep JSON exactly as the JavaScript engine output', async () => {
    // A stand-in `rg` that prints what ripgrep --json prints for this search.
    const events = [
      { type: 'begin', data: { path: { text: file('src/a.ts') } } },
      {
        type: 'match',
        data: { path: { text: file('src/a.ts') }, lines: { text: 'const alpha = 1;\n' }, line_number: 1 },
      },
      {
        type: 'match',
        data: { path: { text: file('src/a.ts') }, lines: { text: 'const ALPHA = 3;\n' }, line_number: 3 },
      },
      { type: 'end', data: {} },
    ];
    const fake = path.join(workspace.root, 'fake-rg');
    await writeFile(
      fake,
      `#!/bin/sh\ncat <<'JSON'\n${events.map((event) => JSON.stringify(event)).join('\n')}\nJSON\n`,
    );
    await chmod(fake, 0o755);
    const input = { pattern: 'alpha', output_mode: 'content', '-i': true, glob: '*.ts' };
    const viaRipgrep = await createGrepTool({ ripgrepPath: fake }).run(input, workspace.context);
    expect(viaRipgrep.content).toBe((await grep(input)).content);
  });
});
