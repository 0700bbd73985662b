import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import { loadProjectContext, loadSettings, PROJECT_CONTEXT_FILE_LIMIT, trustProject } from './index.js';
import { useProjectAndHome } from './internal/test-directories.js';

let project: string;
let home: string;
useProjectAndHome('dynaflow-settings-', (directories) => ({ project, home } = directories));

async function put(root: string, file: string, content: string): Promise<string> {
  const full = path.join(root, file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, content);
  return full;
}

describe('loadSettings', () => {
  it('ST-01 merges Claude Code and dynaflow settings, project over personal', async () => {
    await put(
      home,
      '.claude/settings.json',
      JSON.stringify({ permissions: { deny: ['Bash(curl:*)'] }, model: 'haiku' }),
    );
    await put(
      project,
      '.claude/settings.json',
      JSON.stringify({ permissions: { allow: ['Bash(npm test:*)'] }, theme: 'dark' }),
    );
    await put(
      project,
      '.dynaflow/settings.json',
      JSON.stringify({ model: 'sonnet', concurrency: 4, mcpServers: { fs: { command: 'x' } } }),
    );
    trustProject(project, home);
    const settings = await loadSettings(project, home);
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test:*)'], deny: ['Bash(curl:*)'] });
    expect(settings.model).toBe('sonnet');
    expect(settings.concurrency).toBe(4);
    expect(settings.mcpServers).toEqual({ fs: { command: 'x' } });
    expect(settings.sources).toHaveLength(3);
  });

  it('ST-02 returns empty settings when no file exists', async () => {
    const settings = await loadSettings(project, home);
    expect(settings.permissions).toEqual({ allow: [], deny: [] });
    expect(settings.sources).toEqual([]);
  });

  it('ST-03 malformed JSON is CONFIG_INVALID naming the file and line', async () => {
    const file = await put(
      project,
      '.claude/settings.json',
      '{\n  "permissions": {\n    "allow": ["Bash"],\n  }\n}\n',
    );
    const error = await loadSettings(project, home).catch((caught: unknown) => caught);
    expect(DynaflowError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', location: { file, line: 4 } });
    expect((error as Error).message).toContain(file);
  });

  it('ST-04 a key of the wrong type is CONFIG_INVALID', async () => {
    const file = await put(
      project,
      '.dynaflow/settings.json',
      JSON.stringify({ permissions: { allow: 'Bash' } }, null, 2),
    );
    await expect(loadSettings(project, home)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      location: { file, line: 3 },
    });
  });
});

describe('loadProjectContext', () => {
  it('ST-05 includes CLAUDE.md and AGENTS.md, bounded', async () => {
    await put(project, 'CLAUDE.md', 'Use tabs.\n');
    await put(project, 'AGENTS.md', 'x'.repeat(PROJECT_CONTEXT_FILE_LIMIT + 100));
    const context = await loadProjectContext(project);
    expect(context.files.map((file) => path.basename(file))).toEqual(['CLAUDE.md', 'AGENTS.md']);
    expect(context.text).toContain('Use tabs.');
    expect(context.truncated).toBe(true);
    expect(context.text.length).toBeLessThan(PROJECT_CONTEXT_FILE_LIMIT + 500);
    expect((await loadProjectContext(home)).text).toBe('');
  });
});
