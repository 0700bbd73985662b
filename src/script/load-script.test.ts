import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScript } from './index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dynaflow-script-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadScript', () => {
  it('loads a .workflow.ts file with an absolute path and stripped runnable', async () => {
    const file = path.join(dir, 'typed.workflow.ts');
    await writeFile(
      file,
      "export const meta = { name: 't', description: 'd' }\nconst n: number = 1\nreturn n",
    );
    const script = await loadScript(file);
    expect(script.path).toBe(file);
    expect(script.language).toBe('ts');
    expect(script.runnable).toContain('const n         = 1');
  });

  it('a missing file is SCRIPT_NOT_FOUND with a hint', async () => {
    const error = await loadScript(path.join(dir, 'missing.workflow.js')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCRIPT_NOT_FOUND' });
    expect((error as { hint?: string }).hint).toBeTruthy();
  });

  it('a directory is not a script, and neither is another extension', async () => {
    const folder = path.join(dir, 'folder.workflow.js');
    await mkdir(folder);
    await expect(loadScript(folder)).rejects.toMatchObject({ code: 'SCRIPT_NOT_FOUND' });
    await expect(loadScript(path.join(dir, 'notes.md'))).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('a file over 512 KiB is SCRIPT_TOO_LARGE without being parsed', async () => {
    const file = path.join(dir, 'big.js');
    await writeFile(file, `// ${'x'.repeat(600 * 1024)}`);
    await expect(loadScript(file)).rejects.toMatchObject({ code: 'SCRIPT_TOO_LARGE' });
  });

  it('a TS file with top-level return and a type error is located on the right line', async () => {
    const file = path.join(dir, 'broken.ts');
    await writeFile(
      file,
      "export const meta = { name: 't', description: 'd' }\nif (args) return 1\nconst x: = 2",
    );
    await expect(loadScript(file)).rejects.toMatchObject({
      code: 'SCRIPT_SYNTAX',
      location: { line: 3, column: 10 },
    });
  });
});
