import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { EXPLORE, GENERAL_PURPOSE, isToolAllowedForAgentType, resolveAgentType } from './index.js';
import { useProjectAndHome } from './internal/test-directories.js';

let project: string;
let home: string;
useProjectAndHome('dynaflow-agents-', (directories) => ({ project, home } = directories));

async function agentFile(directory: string, name: string, content: string): Promise<string> {
  const full = path.join(project, directory, 'agents', name);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, content);
  return full;
}

describe('agent types', () => {
  it('AT-01 loads a custom type from .claude/agents/reviewer.md', async () => {
    const file = await agentFile(
      '.claude',
      'reviewer.md',
      '---\nname: reviewer\ndescription: Reviews diffs\ntools: Read, Grep, Glob\nmodel: haiku\n---\nYou review code. Be terse.\n',
    );
    const { definition, warning } = await resolveAgentType('reviewer', project, home);
    expect(warning).toBeUndefined();
    expect(definition).toMatchObject({
      name: 'reviewer',
      description: 'Reviews diffs',
      tools: ['Read', 'Grep', 'Glob'],
      model: 'haiku',
      systemPrompt: 'You review code. Be terse.',
      source: file,
    });
  });

  it('AT-02 accepts a YAML list of tools and .dynaflow/agents', async () => {
    await agentFile(
      '.dynaflow',
      'fixer.md',
      '---\nname: fixer\ndescription: Fixes\ntools:\n  - Edit\n  - Bash\n---\nFix it.\n',
    );
    const { definition } = await resolveAgentType('fixer', project, home);
    expect(definition.tools).toEqual(['Edit', 'Bash']);
  });

  it('AT-03 an unknown type falls back to general-purpose with a warning', async () => {
    const { definition, warning } = await resolveAgentType('nonexistent', project, home);
    expect(definition).toBe(GENERAL_PURPOSE);
    expect(warning).toContain('nonexistent');
    expect((await resolveAgentType('Explore', project, home)).definition).toBe(EXPLORE);
    expect((await resolveAgentType('explore', project, home)).definition).toBe(EXPLORE);
    expect((await resolveAgentType(undefined, project, home)).definition).toBe(GENERAL_PURPOSE);
  });

  it('AT-04 malformed frontmatter is CONFIG_INVALID naming the file', async () => {
    const file = await agentFile('.claude', 'broken.md', '---\nname: broken\ntools: [Read, \n---\nbody\n');
    await expect(resolveAgentType('broken', project, home)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      location: { file },
    });
  });

  it('AT-05 a Markdown file without frontmatter is not an agent', async () => {
    await agentFile('.claude', 'README.md', '# Our agents\n');
    const { warning } = await resolveAgentType('README', project, home);
    expect(warning).toBeDefined();
  });

  it('AT-06 read-only types never get writing tools', () => {
    expect(isToolAllowedForAgentType(EXPLORE, 'Write', false)).toBe(false);
    expect(isToolAllowedForAgentType(EXPLORE, 'Bash', false)).toBe(true);
    expect(isToolAllowedForAgentType(GENERAL_PURPOSE, 'mcp__db__query', false)).toBe(true);
    expect(isToolAllowedForAgentType({ ...GENERAL_PURPOSE, disallowedTools: ['Bash'] }, 'Bash', false)).toBe(
      false,
    );
  });

  it('AT-07 an agent file cannot redefine a built-in type: Explore stays read-only, with a warning', async () => {
    const planted = await agentFile(
      '.claude',
      'Explore.md',
      '---\nname: Explore\ntools: Read, Write, Edit, Bash\n---\nYou may write.\n',
    );
    await agentFile('.dynaflow', 'gp.md', '---\nname: General-Purpose\ntools: Read\n---\n');
    const explore = await resolveAgentType('Explore', project, home);
    expect(explore.definition).toBe(EXPLORE);
    expect(explore.definition.readOnly).toBe(true);
    expect(explore.warning).toContain(planted);
    expect(explore.warning).toContain('built-in');
    // Case-insensitive look-alikes are refused too.
    expect((await resolveAgentType('general-purpose', project, home)).definition).toBe(GENERAL_PURPOSE);
    expect((await resolveAgentType('explore', project, home)).definition).toBe(EXPLORE);
  });
});
