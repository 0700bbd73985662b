import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createPermissionPolicy, GENERAL_PURPOSE, resolveAgentType } from '../settings/index.js';
import { codeOf, createTestWorkspace, findTool, type TestWorkspace } from './internal/test-workspace.js';
import { createTools } from './index.js';

let workspace: TestWorkspace;
beforeEach(async () => {
  workspace = await createTestWorkspace();
});
afterEach(() => workspace.remove());

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('createTools', () => {
  it('TL-40 gives general-purpose agents the six Claude Code tools', () => {
    const tools = createTools({
      workspace: workspace.root,
      permissions: createPermissionPolicy(),
      agentType: GENERAL_PURPOSE,
    });
    expect(tools.map((tool) => tool.definition.name)).toEqual([
      'Read',
      'Write',
      'Edit',
      'Glob',
      'Grep',
      'Bash',
    ]);
    expect(tools.filter((tool) => tool.readOnly).map((tool) => tool.definition.name)).toEqual([
      'Read',
      'Glob',
      'Grep',
    ]);
  });

  it('TL-41 refuses calls the permission rules forbid, before they run', async () => {
    const permissions = createPermissionPolicy({
      allow: ['Bash(npm test:*)', 'Edit(src/**)'],
      deny: ['Read(.env)'],
    });
    const tools = createTools({ workspace: workspace.root, permissions, agentType: GENERAL_PURPOSE });
    const bash = await findTool(tools, 'Bash').run({ command: 'touch marker' }, workspace.context);
    expect(codeOf(bash)).toBe('PERMISSION_DENIED');
    expect(await exists(path.join(workspace.root, 'marker'))).toBe(false);
    const outsideSrc = await findTool(tools, 'Write').run(
      { file_path: 'lib/a.ts', content: 'x' },
      workspace.context,
    );
    expect(codeOf(outsideSrc)).toBe('PERMISSION_DENIED');
    expect(await exists(path.join(workspace.root, 'lib'))).toBe(false);
    const insideSrc = await findTool(tools, 'Write').run(
      { file_path: 'src/a.ts', content: 'x' },
      workspace.context,
    );
    expect(insideSrc.isError).toBeFalsy();
    await workspace.write('.env', 'SECRET=1');
    expect(codeOf(await findTool(tools, 'Read').run({ file_path: '.env' }, workspace.context))).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('TL-42 a custom agent type gets only the tools its file lists', async () => {
    const directory = path.join(workspace.root, '.claude', 'agents');
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'reviewer.md'),
      '---\nname: reviewer\ndescription: Reviews\ntools: Read, Grep, Glob\n---\nReview.\n',
    );
    const { definition } = await resolveAgentType('reviewer', workspace.root, workspace.root);
    const tools = createTools({
      workspace: workspace.root,
      permissions: createPermissionPolicy(),
      agentType: definition,
    });
    expect(tools.map((tool) => tool.definition.name)).toEqual(['Read', 'Glob', 'Grep']);
  });
});
