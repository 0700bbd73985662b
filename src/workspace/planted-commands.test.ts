/**
 * An agent with Bash can configure git to run a command of its own the next time anyone runs git
 * in the repository: `core.fsmonitor`, or a clean filter on the files it changed. The runtime's
 * git then runs it — so the runtime's git must not carry dynaflow's keys, and must not consult
 * an fsmonitor at all.
 */
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestRepository, type TestRepository } from './internal/test-repository.js';

const SECRET = 'sk-ant-planted-secret-value';
let repo: TestRepository;
let createRunWorkspace: typeof import('./index.js').createRunWorkspace;
/** Outside the repository: where the planted commands leave their traces. */
let traces: string;

beforeAll(async () => {
  // The runtime's own environment holds a provider key from the start, as a real run's does:
  // set before the workspace module loads.
  process.env.ANTHROPIC_API_KEY = SECRET;
  ({ createRunWorkspace } = await import('./index.js'));
  repo = await createTestRepository();
  traces = await mkdtemp(path.join(tmpdir(), 'dynaflow-planted-'));
});

afterAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  await repo.remove();
  await rm(traces, { recursive: true, force: true });
});

describe('commands an agent plants for git', () => {
  it('WT-20 an fsmonitor never runs, and a planted filter runs without the runtime keys', async () => {
    const fsmonitorMarker = path.join(traces, 'fsmonitor-ran');
    const filterDump = path.join(traces, 'filter-env');
    // What an agent's `git config` in Bash would write into the shared repository config.
    repo.git('config', 'core.fsmonitor', `touch '${fsmonitorMarker}'; false`);
    repo.git('config', 'filter.leak.clean', `env > '${filterDump}'; cat`);

    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_planted' });
    const worktree = await workspace.createAgentWorktree({ label: 'agent' });
    await writeFile(path.join(worktree.path, '.gitattributes'), '*.txt filter=leak\n');
    await writeFile(path.join(worktree.path, 'note.txt'), 'changed by the agent\n');
    const finished = await workspace.finishAgentWorktree(worktree);
    expect(finished.outcome).toBe('merged');

    // The filter did run (so the check below is not vacuous), with no key in its environment.
    const dumped = await readFile(filterDump, 'utf8');
    expect(dumped).toMatch(/^PATH=/m);
    expect(dumped).not.toContain(SECRET);
    expect(dumped).not.toContain('ANTHROPIC_API_KEY');
    await expect(access(fsmonitorMarker)).rejects.toThrow();
  });
});
