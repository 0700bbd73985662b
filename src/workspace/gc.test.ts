import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { afterEach, describe, expect, it } from 'vitest';

import { createTestRepository, type TestRepository } from './internal/test-repository.js';
import { createRunWorkspace, gcWorkspaces } from './index.js';

const repositories: TestRepository[] = [];
afterEach(async () => {
  await Promise.all(repositories.splice(0).map((repository) => repository.remove()));
});

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('gcWorkspaces', () => {
  it('WT-08 removes stale worktrees of finished runs, keeps unmerged work and active runs', async () => {
    const repo = await createTestRepository();
    repositories.push(repo);
    const crashed = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_crashed' });
    const abandoned = await crashed.createAgentWorktree({ label: 'abandoned' });
    await writeFile(path.join(abandoned.path, 'wip.txt'), 'work in progress\n');
    const committed = await crashed.createAgentWorktree({ label: 'committed' });
    await writeFile(path.join(committed.path, 'done.txt'), 'done\n');
    repo.git('-C', committed.path, 'add', '-A');
    repo.git('-C', committed.path, 'commit', '--quiet', '-m', 'agent work never merged');
    const active = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_active' });
    const running = await active.createAgentWorktree({ label: 'running' });

    const report = await gcWorkspaces(repo.root, { activeRunIds: ['wf_active'] });

    expect(report.runs).toEqual(['wf_crashed']);
    expect(report.removedWorktrees.map((worktree) => path.basename(worktree)).sort()).toEqual([
      'abandoned',
      'committed',
    ]);
    expect(report.deletedBranches).toEqual(['dynaflow/wf_crashed/agents/abandoned']);
    expect(report.keptBranches).toEqual(['dynaflow/wf_crashed/agents/committed']);
    expect(await exists(abandoned.path)).toBe(false);
    expect(await exists(running.path)).toBe(true);
    expect(repo.git('show', 'dynaflow/wf_crashed/agents/committed:done.txt')).toBe('done');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('WT-09 measures sequential worktree setup cost', async () => {
    const repo = await createTestRepository();
    repositories.push(repo);
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_timing' });
    const times: number[] = [];
    for (let index = 0; index < 10; index++) {
      const started = performance.now();
      const worktree = await workspace.createAgentWorktree({ label: `timed-${index}` });
      times.push(performance.now() - started);
      expect(await exists(path.join(worktree.path, 'README.md'))).toBe(true);
    }
    const average = times.reduce((sum, time) => sum + time, 0) / times.length;
    console.log(
      `[WT-09] worktree setup per agent (sequential): avg ${average.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
    );
    const cleanup = await workspace.cleanupRun();
    expect(cleanup.removedWorktrees).toHaveLength(10);
    expect(cleanup.deletedBranches).toHaveLength(10);
  });
});
