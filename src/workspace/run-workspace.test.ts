import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { afterEach, describe, expect, it } from 'vitest';

import { createPermissionPolicy, GENERAL_PURPOSE } from '../settings/index.js';
import { createTools } from '../tools/index.js';
import { createTestRepository, type TestRepository } from './internal/test-repository.js';
import { createRunWorkspace, type MergeConflict } from './index.js';

const repositories: TestRepository[] = [];
afterEach(async () => {
  await Promise.all(repositories.splice(0).map((repository) => repository.remove()));
});

async function repository(): Promise<TestRepository> {
  const created = await createTestRepository();
  repositories.push(created);
  return created;
}

function writeTool(workspace: string) {
  const tools = createTools({ workspace, permissions: createPermissionPolicy(), agentType: GENERAL_PURPOSE });
  const write = tools.find((tool) => tool.definition.name === 'Write');
  if (!write) throw new Error('no Write tool');
  return (file_path: string, content: string) =>
    write.run({ file_path, content }, { workspace, signal: new AbortController().signal });
}

describe('run workspace', () => {
  it('WT-01 merges 20 parallel worktree agents into the integration branch without touching the user tree', async () => {
    const repo = await repository();
    const headBefore = repo.git('rev-parse', 'HEAD');
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_parallel' });
    const setupTimes: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const started = performance.now();
        const worktree = await workspace.createAgentWorktree({ label: `agent:${index}` });
        setupTimes.push(performance.now() - started);
        const written = await writeTool(worktree.path)(`notes/file-${index}.txt`, `agent ${index}\n`);
        expect(written.isError).toBeFalsy();
        return workspace.finishAgentWorktree(worktree);
      }),
    );
    const average = setupTimes.reduce((sum, time) => sum + time, 0) / setupTimes.length;
    console.log(
      `[WT-01] worktree setup per agent: avg ${average.toFixed(1)} ms, max ${Math.max(...setupTimes).toFixed(1)} ms (20 in parallel)`,
    );

    expect(results.map((result) => result.outcome)).toEqual(Array(20).fill('merged'));
    const files = repo.git('ls-tree', '-r', '--name-only', 'dynaflow/wf_parallel/main').split('\n');
    for (let index = 0; index < 20; index++) expect(files).toContain(`notes/file-${index}.txt`);
    expect(repo.git('show', 'dynaflow/wf_parallel/main:notes/file-7.txt')).toBe('agent 7');
    // The user's side: same HEAD, same branch, clean status.
    expect(repo.git('rev-parse', 'HEAD')).toBe(headBefore);
    expect(repo.git('branch', '--show-current')).toBe('main');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(workspace.conflicts()).toEqual([]);
  });

  it('WT-02 reports a conflict, keeps both versions, and leaves the first one on the integration branch', async () => {
    const repo = await repository();
    const reported: MergeConflict[] = [];
    const workspace = await createRunWorkspace({
      projectRoot: repo.root,
      runId: 'wf_conflict',
      onConflict: (conflict) => reported.push(conflict),
    });
    const first = await workspace.createAgentWorktree({ label: 'first' });
    const second = await workspace.createAgentWorktree({ label: 'second' });
    await writeTool(first.path)('README.md', 'first version\n');
    await writeTool(second.path)('README.md', 'second version\n');
    const firstResult = await workspace.finishAgentWorktree(first);
    const secondResult = await workspace.finishAgentWorktree(second);

    expect(firstResult.outcome).toBe('merged');
    expect(secondResult.outcome).toBe('conflict');
    expect(reported).toEqual([
      { label: 'second', branch: 'dynaflow/wf_conflict/agents/second', files: ['README.md'] },
    ]);
    expect(repo.git('show', 'dynaflow/wf_conflict/main:README.md')).toBe('first version');
    expect(repo.git('show', 'dynaflow/wf_conflict/agents/first:README.md')).toBe('first version');
    expect(repo.git('show', 'dynaflow/wf_conflict/agents/second:README.md')).toBe('second version');

    const cleanup = await workspace.cleanupRun();
    expect(cleanup.keptBranches).toEqual(['dynaflow/wf_conflict/agents/second']);
    expect(cleanup.deletedBranches).toEqual(['dynaflow/wf_conflict/agents/first']);
    expect(repo.git('show', 'dynaflow/wf_conflict/agents/second:README.md')).toBe('second version');
  });

  it('WT-03 makes a real merge commit when agents change different files after the branch moved', async () => {
    const repo = await repository();
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_merge' });
    const a = await workspace.createAgentWorktree({ label: 'a' });
    const b = await workspace.createAgentWorktree({ label: 'b' });
    await writeTool(a.path)('a.txt', 'a\n');
    await writeTool(b.path)('b.txt', 'b\n');
    await workspace.finishAgentWorktree(a);
    const merged = await workspace.finishAgentWorktree(b);
    expect(merged.outcome).toBe('merged');
    const parents = repo.git('rev-list', '--parents', '-n', '1', 'dynaflow/wf_merge/main').split(' ');
    expect(parents).toHaveLength(3);
    expect(repo.git('ls-tree', '--name-only', 'dynaflow/wf_merge/main').split('\n').sort()).toEqual([
      'README.md',
      'a.txt',
      'b.txt',
    ]);
  });

  it('WT-04 removes unchanged agents without a trace and deduplicates labels', async () => {
    const repo = await repository();
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_idle' });
    const one = await workspace.createAgentWorktree({ label: 'Review: API' });
    const two = await workspace.createAgentWorktree({ label: 'review: api' });
    expect(one.branch).toBe('dynaflow/wf_idle/agents/review-api');
    expect(two.branch).toBe('dynaflow/wf_idle/agents/review-api-2');
    expect(await workspace.finishAgentWorktree(one)).toEqual({ outcome: 'unchanged' });
    expect(repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/dynaflow/wf_idle/agents/')).toBe(
      'dynaflow/wf_idle/agents/review-api-2',
    );
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(2);
  });

  it('WT-05 reuses a branch from an earlier attempt instead of committing the same work twice', async () => {
    const repo = await repository();
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_resume' });
    const worktree = await workspace.createAgentWorktree({ label: 'fix' });
    await writeTool(worktree.path)('fix.txt', 'fixed\n');
    await workspace.finishAgentWorktree(worktree);
    const tipAfterFirst = repo.git('rev-parse', 'dynaflow/wf_resume/main');

    // A new process resumes the run: same base, and the branch of "fix" is reused.
    const resumed = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_resume' });
    expect(resumed.baseCommit).toBe(workspace.baseCommit);
    const again = await resumed.createAgentWorktree({ label: 'fix' });
    expect(await readFile(path.join(again.path, 'fix.txt'), 'utf8')).toBe('fixed\n');
    const result = await resumed.finishAgentWorktree(again);
    expect(result.outcome).toBe('merged');
    expect(repo.git('rev-parse', 'dynaflow/wf_resume/main')).toBe(tipAfterFirst);
    expect(repo.git('rev-list', '--count', 'dynaflow/wf_resume/agents/fix')).toBe('2');
  });

  it('WT-06 resets an in-flight worktree: uncommitted work goes, committed work stays', async () => {
    const repo = await repository();
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_reset' });
    const worktree = await workspace.createAgentWorktree({ label: 'flaky' });
    await writeFile(path.join(worktree.path, 'README.md'), 'half done\n');
    await writeFile(path.join(worktree.path, 'scratch.txt'), 'tmp\n');
    await workspace.resetAgentWorktree(worktree);
    expect(await readFile(path.join(worktree.path, 'README.md'), 'utf8')).toBe('# test\n');
    expect(repo.git('-C', worktree.path, 'status', '--porcelain')).toBe('');
    await writeFile(path.join(worktree.path, 'kept.txt'), 'committed\n');
    repo.git('-C', worktree.path, 'add', '-A');
    repo.git('-C', worktree.path, 'commit', '--quiet', '-m', 'work');
    await writeFile(path.join(worktree.path, 'kept.txt'), 'half-done edit\n');
    await workspace.resetAgentWorktree(worktree);
    expect(await readFile(path.join(worktree.path, 'kept.txt'), 'utf8')).toBe('committed\n');
  });

  it("WT-10 keeps a failed agent's changes on dynaflow/<run>/failed/<name>, its own branch untouched", async () => {
    const repo = await repository();
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_failed' });
    const worktree = await workspace.createAgentWorktree({ label: 'broken' });
    await writeTool(worktree.path)('half.txt', 'half done\n');
    await writeFile(path.join(worktree.path, 'README.md'), 'edited\n');
    const kept = await workspace.keepFailedWork(worktree);
    expect(kept).toBe('dynaflow/wf_failed/failed/broken');
    expect(repo.git('show', `${kept}:half.txt`)).toBe('half done');
    expect(repo.git('show', `${kept}:README.md`)).toBe('edited');
    expect(repo.git('rev-parse', `${kept}^`)).toBe(workspace.baseCommit);
    // The agent's own branch and worktree are as they were before it ran: a re-run starts clean.
    expect(repo.git('rev-parse', worktree.branch)).toBe(workspace.baseCommit);
    expect(repo.git('-C', worktree.path, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    // Cleanup removes the worktree and the empty agent branch, never the failed work.
    const cleanup = await workspace.cleanupRun();
    expect(cleanup.deletedBranches).toEqual(['dynaflow/wf_failed/agents/broken']);
    expect(repo.git('show', `${kept}:half.txt`)).toBe('half done');

    const idle = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_failed_idle' });
    const untouched = await idle.createAgentWorktree({ label: 'idle' });
    expect(await idle.keepFailedWork(untouched)).toBeUndefined();
    expect(
      repo.git('for-each-ref', '--format=%(refname)', 'refs/heads/dynaflow/wf_failed_idle/failed/'),
    ).toBe('');
  });

  it('WT-07 refuses a directory that is not a git repository, and a repository without a commit', async () => {
    const repo = await repository();
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const plain = await mkdtemp(path.join(tmpdir(), 'dynaflow-plain-'));
    repositories.push({
      root: plain,
      git: () => '',
      remove: () => import('node:fs/promises').then((fs) => fs.rm(plain, { recursive: true, force: true })),
    });
    await expect(createRunWorkspace({ projectRoot: plain, runId: 'wf_x' })).rejects.toMatchObject({
      code: 'WORKTREE_UNAVAILABLE',
    });
    repo.git('checkout', '--quiet', '--orphan', 'empty');
    repo.git('rm', '-r', '--cached', '--quiet', '.');
    await expect(createRunWorkspace({ projectRoot: repo.root, runId: 'wf_x' })).rejects.toMatchObject({
      code: 'WORKTREE_UNAVAILABLE',
    });
  });
});
