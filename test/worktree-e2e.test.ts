/**
 * WT-E2E-*: `isolation: 'worktree'` through the whole stack (script → runtime → agent loop →
 * anthropic SDK → HTTP → simulator calling real tools → git worktrees → merge queue → journal).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, createProject, META, type Project } from './helpers/agent-project.js';
import type { Harness } from './helpers/harness.js';

let project: Project | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  await project?.remove();
  harness = undefined;
  project = undefined;
});

/** A script line: an agent that writes `file` with `content` in its own worktree, then answers. */
const WRITER = `
function writer(label, file, content) {
  const prompt = 'write ' + file + '\\n@sim tool Write ' + JSON.stringify({ file_path: file, content }) + '\\n@sim reply wrote ' + file
  return agent(prompt, { label, isolation: 'worktree' })
}
`;

describe('worktree agents end to end', () => {
  it('WT-E2E-01 20 parallel worktree agents: every file lands on dynaflow/<run>/main, the user tree is untouched', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    harness = await agentHarness(project);
    const headBefore = project.git('rev-parse', 'HEAD');
    const outcome = await harness.runText(
      `${META}${WRITER}
      return await parallel(Array.from({ length: 20 }, (_, i) => () => writer('w' + i, 'out/file-' + i + '.txt', 'agent ' + i + '\\n')))`,
    );
    expect(outcome.status).toBe('done');
    // The script sees the agents' answers, unchanged by the merge machinery.
    expect(outcome.result).toEqual(Array.from({ length: 20 }, (_, i) => `wrote out/file-${i}.txt`));
    const main = `dynaflow/${outcome.runId}/main`;
    const files = project.git('ls-tree', '-r', '--name-only', main).split('\n');
    for (let i = 0; i < 20; i++) {
      expect(files).toContain(`out/file-${i}.txt`);
      expect(project.git('show', `${main}:out/file-${i}.txt`)).toBe(`agent ${i}`);
    }
    // The user's branch, index and working tree did not move.
    expect(project.git('rev-parse', 'HEAD')).toBe(headBefore);
    expect(project.git('branch', '--show-current')).toBe('main');
    expect(project.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(path.join(project.root, 'out'))).toBe(false);
    // Cleanup at run end: no worktree left, merged agent branches deleted, the integration branch kept.
    expect(project.git('worktree', 'list').split('\n')).toHaveLength(1);
    expect(
      project.git(
        'for-each-ref',
        '--format=%(refname:short)',
        `refs/heads/dynaflow/${outcome.runId}/agents/`,
      ),
    ).toBe('');
    const calls = harness.journal.listCalls(outcome.runId);
    expect(calls).toHaveLength(20);
    for (const call of calls) {
      expect(call.status).toBe('done');
      expect(call.error).toBeNull();
      expect(call.branch).toBe(`dynaflow/${outcome.runId}/agents/${call.worktree ?? ''}`);
      expect(call.worktree).toMatch(new RegExp(`^${call.label}-[0-9a-f]{6}$`));
    }
  });

  it('WT-E2E-02 two agents writing the same file: a conflict in the journal and the run log, both versions kept', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    harness = await agentHarness(project);
    const outcome = await harness.runText(
      `${META}${WRITER}
      return await parallel([
        () => writer('first', 'README.md', 'first version\\n'),
        () => writer('second', 'README.md', 'second version\\n'),
      ])`,
    );
    expect(outcome.status).toBe('done');
    expect(outcome.result).toEqual(['wrote README.md', 'wrote README.md']);
    const calls = harness.journal.listCalls(outcome.runId);
    const conflicted = calls.filter((call) => call.error?.startsWith('MERGE_CONFLICT'));
    expect(conflicted).toHaveLength(1);
    const [loser] = conflicted;
    const winner = calls.find((call) => call !== loser);
    expect(loser?.status).toBe('done');
    expect(loser?.error).toContain('README.md');
    expect(loser?.error).toContain(loser?.branch ?? '?');
    const warnings = harness.journal.listEvents(outcome.runId).filter((event) => event.kind === 'warning');
    expect(
      warnings.some(
        (event) => event.text.includes('merge conflict') && event.text.includes(loser?.branch ?? '?'),
      ),
    ).toBe(true);
    // Both versions survive: the winner's on the integration branch, the loser's on its kept branch.
    const main = `dynaflow/${outcome.runId}/main`;
    const versionOf = (label: string | undefined): string => `${label ?? '?'} version`;
    expect(project.git('show', `${main}:README.md`)).toBe(versionOf(winner?.label));
    expect(project.git('show', `${loser?.branch ?? '?'}:README.md`)).toBe(versionOf(loser?.label));
    expect(
      project.git(
        'for-each-ref',
        '--format=%(refname:short)',
        `refs/heads/dynaflow/${outcome.runId}/agents/`,
      ),
    ).toBe(loser?.branch);
    expect(await readFile(path.join(project.root, 'README.md'), 'utf8')).toBe('# app\n');
  });

  it('WT-E2E-03 a project that is not a git repository: agent() throws WORKTREE_UNAVAILABLE', async () => {
    project = await createProject({ 'README.md': '# app\n' }, { git: false });
    harness = await agentHarness(project);
    const outcome = await harness.runText(
      `${META}
      let code = null
      try { await agent('edit', { isolation: 'worktree' }) } catch (e) { code = e.code }
      const plain = await agent('no isolation\\n@sim reply fine')
      return { code, plain }`,
    );
    expect(outcome.result).toEqual({ code: 'WORKTREE_UNAVAILABLE', plain: 'fine' });
  });

  it('WT-E2E-04 a cancelled run resumes: the interrupted worktree agent re-runs and its work is merged once', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    const cancel = new AbortController();
    harness = await agentHarness(project, {
      deps: {
        listener: (event) => {
          // Stop the run while "slow" is between its Write and its answer.
          if (event.type === 'agent-tool' && event.tool === 'Write' && !cancel.signal.aborted) cancel.abort();
        },
      },
    });
    const script = `${META}${WRITER}
      const fast = await writer('fast', 'fast.txt', 'fast\\n')
      const slow = await agent('slow\\n@sim tool Write {"file_path":"slow.txt","content":"slow\\\\n"}\\n@sim latency 300\\n@sim reply slow done', { label: 'slow', isolation: 'worktree' })
      return [fast, slow]`;
    const first = await harness.runText(script, undefined, { signal: cancel.signal });
    expect(first.status).toBe('interrupted');
    const interrupted = harness.journal
      .listCalls(first.runId)
      .filter((call) => call.status === 'interrupted');
    expect(interrupted.length).toBeGreaterThan(0);
    const second = await harness.resume(first.runId);
    expect(second.status).toBe('done');
    expect(second.result).toEqual(['wrote fast.txt', 'slow done']);
    const main = `dynaflow/${first.runId}/main`;
    expect(project.git('show', `${main}:fast.txt`)).toBe('fast');
    expect(project.git('show', `${main}:slow.txt`)).toBe('slow');
    // Each agent's work was committed exactly once.
    const subjects = project.git('log', '--format=%s', main).split('\n');
    expect(subjects.filter((subject) => subject === `dynaflow ${first.runId}: fast`)).toHaveLength(1);
    expect(subjects.filter((subject) => subject === `dynaflow ${first.runId}: slow`)).toHaveLength(1);
  });

  it('WT-E2E-05 a worktree agent that fails keeps what it changed on dynaflow/<run>/failed/<name>', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    harness = await agentHarness(project);
    // Two tool turns but maxTurns 1: the agent writes its file, then fails with AGENT_MAX_TURNS.
    const prompt = [
      'write then fail',
      '@sim tool Write ' + JSON.stringify({ file_path: 'draft.txt', content: 'draft\n' }),
      '@sim tool Read ' + JSON.stringify({ file_path: 'draft.txt' }),
    ].join('\n');
    const outcome = await harness.runText(
      `${META}\nreturn await agent(${JSON.stringify(prompt)}, { label: 'drafter', isolation: 'worktree', maxTurns: 1 })`,
    );
    expect(outcome.result).toBeNull();
    const [call] = harness.journal.listCalls(outcome.runId);
    const kept = `dynaflow/${outcome.runId}/failed/${call?.worktree ?? '?'}`;
    expect(call?.status).toBe('failed');
    expect(call?.error).toContain('AGENT_MAX_TURNS');
    expect(call?.error).toContain(`its changes are kept on ${kept}`);
    expect(project.git('show', `${kept}:draft.txt`)).toBe('draft');
    expect(project.git('worktree', 'list').split('\n')).toHaveLength(1);
    expect(existsSync(path.join(project.root, 'draft.txt'))).toBe(false);
  });
});
