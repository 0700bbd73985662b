/**
 * AG-09..10: the CLI side of real agents (built dist/, as users run it): `validate` warns about
 * agent types the project does not define; `run` with worktree agents, `show --agent` prints the
 * transcript with its tool calls, `gc` cleans up.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, type Project } from './helpers/agent-project.js';
import { runCli } from './helpers/cli.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

describe('CLI with real agents', () => {
  it('AG-09 validate warns (file:line:col) about an agentType the project does not define, not about its own', async () => {
    project = await createProject({
      '.claude/agents/reviewer.md': '---\nname: reviewer\ndescription: Reviews\n---\nReview.\n',
      'x.workflow.js': [
        "export const meta = { name: 'x', description: 'y' }",
        "await agent('a', { agentType: 'reviewer' })",
        "await agent('b', { agentType: 'Explore' })",
        "await agent('c', { label: 'c', agentType: 'code-reviewer' })",
      ].join('\n'),
    });
    const result = await runCli(['validate', 'x.workflow.js'], {
      cwd: project.root,
      env: { HOME: project.home },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/x\.workflow\.js:4:32 warning: unknown agentType "code-reviewer"/);
    expect(result.stderr).not.toMatch(/"reviewer"|"Explore"/);
  });

  it('AG-10 run with worktree agents, then show --agent prints the tool calls and gc leaves nothing stale', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    await writeFile(
      path.join(project.root, 'w.workflow.js'),
      `export const meta = { name: 'w', description: 'worktrees' }
      return await parallel([1, 2].map((i) => () => agent('write ' + i + '\\n@sim tool Write ' + JSON.stringify({ file_path: 'f' + i + '.txt', content: 'v' + i }) + '\\n@sim reply ok ' + i, { label: 'w' + i, isolation: 'worktree' })))`,
    );
    const env = { HOME: project.home };
    const run = await runCli(['run', 'w.workflow.js', '--yes', '--provider', 'sim'], {
      cwd: project.root,
      env,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['ok 1', 'ok 2']);
    const runId = /^run (\S+)/.exec(run.stderr)?.[1] ?? '';
    expect(project.git('show', `dynaflow/${runId}/main:f2.txt`)).toBe('v2');

    const show = await runCli(['show', runId, '--agent', 'w1'], { cwd: project.root, env });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('agent "w1" — done');
    expect(show.stdout).toContain('→ Write {"file_path":"f1.txt","content":"v1"}');
    expect(show.stdout).toMatch(/← Write: File created/);

    const gc = await runCli(['gc'], { cwd: project.root, env });
    expect(gc.code).toBe(0);
    expect(project.git('worktree', 'list').split('\n')).toHaveLength(1);
    expect(project.git('status', '--porcelain')).toBe('?? w.workflow.js');
  });
});
