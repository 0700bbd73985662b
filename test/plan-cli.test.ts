/**
 * PL-3*: the plan card and approval as users meet them on the command line: `plan`, `run`
 * without --yes (refused without a terminal, no request sent), remembered approvals, saved
 * workflows by name, `workflows`, and `run --detach`.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../src/journal/index.js';
import { rememberApproval } from '../src/planner/index.js';
import { parseScript } from '../src/script/index.js';
import { startSimulator, type SimulatorHandle } from '../src/sim/index.js';
import { runCli, TEST_HOME } from './helpers/cli.js';

const FANOUT = `export const meta = {
  name: 'fanout',
  description: 'Check 37 modules, then summarise',
  phases: [{ title: 'Check modules', detail: 'one agent per module' }, { title: 'Summarise' }],
}
phase('Check modules')
const modules = Array.from({ length: 37 }, (_, i) => 'module-' + i)
const checks = await parallel(modules.map((m) => () => agent('Check ' + m + ' for dead code', { label: 'check:' + m })))
phase('Summarise')
return await agent('Summarise these results: ' + checks.length, { label: 'summary' })
`;

let project: string;
let sim: SimulatorHandle;
beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-plan-cli-'));
  writeFileSync(path.join(project, 'fanout.workflow.js'), FANOUT);
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => sim.close());

const viaSim = () => ({ ANTHROPIC_BASE_URL: sim.url, ANTHROPIC_API_KEY: 'test-key' });

describe('plan and approval on the command line', () => {
  it('PL-30 `plan` prints both phase titles, 38 agents and a cost', async () => {
    const result = await runCli(['plan', 'fanout.workflow.js'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Check modules');
    expect(result.stderr).toContain('Summarise');
    expect(result.stderr).toMatch(/total\s+38\b/);
    expect(result.stderr).toMatch(/38 agents/);
    expect(result.stderr).toMatch(/\$\d+\.\d\d/);
    expect(result.stdout).toBe('');
  });

  it('PL-31 `run` without a terminal and without --yes: card on stderr, exit 4, zero requests', async () => {
    const before = sim.stats().requests;
    const result = await runCli(['run', 'fanout.workflow.js', '--provider', 'anthropic'], {
      cwd: project,
      env: viaSim(),
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/total\s+38\b/);
    expect(result.stderr).toContain('not approved');
    expect(result.stdout).toBe('');
    expect(sim.stats().requests - before).toBe(0);
  });

  it('PL-32 "don\'t ask again" is remembered per project and script hash', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-remember-'));
    const file = path.join(dir, 'small.workflow.js');
    const text =
      "export const meta = { name: 'small', description: 'one agent' }\nreturn await agent('hi')\n";
    writeFileSync(file, text);
    rememberApproval(dir, 'small', parseScript(text, file).hash, TEST_HOME);
    const approved = await runCli(['run', 'small.workflow.js', '--provider', 'anthropic'], {
      cwd: dir,
      env: viaSim(),
    });
    expect(approved.code).toBe(0);
    expect(approved.stderr).toContain('approved earlier');
    writeFileSync(file, text.replace("'hi'", "'hello'"));
    const changed = await runCli(['run', 'small.workflow.js', '--provider', 'anthropic'], {
      cwd: dir,
      env: viaSim(),
    });
    expect(changed.code).toBe(4);
    // Remembered in the home folder, never in a file of the project a repository could commit.
    expect(existsSync(path.join(dir, '.dynaflow', 'settings.local.json'))).toBe(false);
  });

  it('PL-33 `workflows` lists project and built-in workflows; `dynaflow NAME` runs one by name', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-saved-'));
    mkdirSync(path.join(dir, '.dynaflow', 'workflows'), { recursive: true });
    writeFileSync(
      path.join(dir, '.dynaflow', 'workflows', 'greet.workflow.js'),
      "export const meta = { name: 'greet', description: 'Say hello', whenToUse: 'When greeting' }\n" +
        "return { said: await agent('@sim reply hello ' + (args?.who ?? 'nobody')) }\n",
    );
    const list = await runCli(['workflows', '--json'], { cwd: dir });
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as { name: string; origin: string; description: string }[];
    expect(entries.find((entry) => entry.name === 'greet')).toMatchObject({
      origin: 'project',
      description: 'Say hello',
    });
    for (const builtIn of ['review', 'bug-sweep', 'port', 'optimize', 'demo']) {
      expect(entries.find((entry) => entry.name === builtIn)?.origin).toBe('built-in');
    }
    const human = await runCli(['workflows'], { cwd: dir });
    expect(human.stderr).toContain('When greeting');

    const byName = await runCli(['greet', '--yes', '--provider', 'sim', '--args', '{"who":"ada"}'], {
      cwd: dir,
    });
    expect(byName.code).toBe(0);
    expect(JSON.parse(byName.stdout)).toEqual({ said: 'hello ada' });
    const unknown = await runCli(['no-such-thing'], { cwd: dir });
    expect(unknown.code).toBe(2);
  });

  it('PL-34 `run --detach` prints the run id, exits 0, and the run finishes in the background', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-detach-'));
    writeFileSync(
      path.join(dir, 'bg.workflow.js'),
      "export const meta = { name: 'bg', description: 'background' }\n" +
        "const a = await parallel([1, 2, 3].map((n) => () => agent('@sim latency 300\\n@sim reply r' + n)))\nreturn a\n",
    );
    const result = await runCli(['run', 'bg.workflow.js', '--yes', '--provider', 'sim', '--detach'], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const runId = result.stdout.trim();
    expect(runId).toMatch(/^wf_[a-z0-9-]+$/);
    expect(result.stderr.split('\n')[0]).toBe(`run ${runId}`);
    const stateDir = path.join(dir, '.dynaflow');
    const deadline = Date.now() + 30_000;
    let status = 'running';
    while (status === 'running' && Date.now() < deadline) {
      const journal = openJournal({ stateDir, readonly: true });
      status = journal.getRun(runId)?.status ?? 'running';
      journal.close();
      if (status === 'running') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('done');
    const logs = path.join(stateDir, 'runs', runId);
    expect(readFileSync(path.join(logs, 'stderr.log'), 'utf8')).toContain(`run ${runId}`);
    await expect
      .poll(
        () =>
          existsSync(path.join(logs, 'stdout.log')) && readFileSync(path.join(logs, 'stdout.log'), 'utf8'),
      )
      .toContain('"r1"');
    const monitor = await runCli(['monitor', runId, '--once'], { cwd: dir });
    expect(monitor.code).toBe(0);
    expect(monitor.stderr).toMatch(/done wf_\S+: 3 done/);
  });
});
