/**
 * WT-E2E-05..06: what a resumed run finds after a crash (kill -9: no cleanup ran). The worktree
 * name comes from the label and the call key, so the same call finds its branch again.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorktreeIsolation } from '../src/runtime/worktree-isolation.js';
import { createProject, type Project } from './helpers/agent-project.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

const ignoreConflicts = (): void => {};

describe('worktree agents after a crash', () => {
  it('WT-E2E-05 an in-flight worktree is reset before the re-run; committed work is never committed twice', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    // First driver: the agent wrote half of its work, then the process died.
    const first = await new WorktreeIsolation(project.root, 'wf_crash', ignoreConflicts).prepare(
      'fix',
      'abc#1',
    );
    await writeFile(path.join(first.workspace, 'half.txt'), 'half\n');

    // Second driver: same call → same worktree, reset to a clean state.
    const second = new WorktreeIsolation(project.root, 'wf_crash', ignoreConflicts);
    const again = await second.prepare('fix', 'abc#1');
    expect(again.worktree.path).toBe(first.worktree.path);
    expect(again.worktree.reused).toBe(true);
    expect(existsSync(path.join(again.workspace, 'half.txt'))).toBe(false);
    await writeFile(path.join(again.workspace, 'done.txt'), 'done\n');
    expect((await second.finish(again.worktree)).outcome).toBe('merged');
    const tip = project.git('rev-parse', 'dynaflow/wf_crash/main');

    // Third driver: died after the merge, before the journal recorded the completion.
    const third = new WorktreeIsolation(project.root, 'wf_crash', ignoreConflicts);
    const rerun = await third.prepare('fix', 'abc#1');
    expect(existsSync(path.join(rerun.workspace, 'done.txt'))).toBe(true);
    expect((await third.finish(rerun.worktree)).outcome).toBe('merged');
    expect(project.git('rev-parse', 'dynaflow/wf_crash/main')).toBe(tip);
    expect(project.git('rev-list', '--count', `main..${again.worktree.branch}`)).toBe('1');
    await third.close();
  });

  it('WT-E2E-06 a project in a subdirectory of the repository works in the same subdirectory of the worktree', async () => {
    project = await createProject({ 'packages/app/index.js': 'x\n' });
    const subdirectory = path.join(project.root, 'packages', 'app');
    await mkdir(subdirectory, { recursive: true });
    const isolation = new WorktreeIsolation(subdirectory, 'wf_sub', ignoreConflicts);
    const agent = await isolation.prepare('edit', 'k#1');
    expect(agent.workspace).toBe(path.join(agent.worktree.path, 'packages', 'app'));
    expect(existsSync(path.join(agent.workspace, 'index.js'))).toBe(true);
    await isolation.close();
  });
});
