/**
 * PL-2*: the workflows shipped in workflows/ are readable scripts that validate, rehearse and run
 * end to end on the simulator; the rehearsal's agent count equals the real run's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearse } from '../src/planner/index.js';
import { BUILT_IN_WORKFLOWS, type CommandRunner } from '../src/runtime/index.js';
import type { JsonValue } from '../src/sandbox/index.js';
import { loadScript, validateScript } from '../src/script/index.js';
import { fastClock } from './helpers/fast-clock.js';
import { createHarness, type Harness } from './helpers/harness.js';

let project: string;
let harness: Harness;
const commands: string[] = [];
/** exec() of the real runs: recorded; the first build of a run fails, so `port` must refine. */
let failFirstBuild = false;
const runCommand: CommandRunner = (request) => {
  commands.push(request.command);
  if (failFirstBuild && request.command === 'make build') {
    failFirstBuild = false;
    return Promise.resolve({ code: 2, stdout: '', stderr: 'error: type mismatch' });
  }
  return Promise.resolve({ code: 0, stdout: 'ok', stderr: '' });
};

beforeAll(async () => {
  // A git repository of its own: `optimize` gives each change a worktree.
  project = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-builtins-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: project, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init');
  harness = await createHarness({ seed: 3, projectRoot: project, deps: { clock: fastClock(), runCommand } });
});
afterAll(async () => {
  await harness.close();
  rmSync(project, { recursive: true, force: true });
});

async function rehearseAndRun(name: string, args: JsonValue | undefined) {
  const file = path.join(BUILT_IN_WORKFLOWS, `${name}.workflow.js`);
  const script = await loadScript(file);
  expect(validateScript(script.text, file).errors).toEqual([]);
  const rehearsal = await rehearse({ script, args, projectRoot: project, seed: 9, simSeed: 3 });
  harness.sim.reset();
  const outcome = await harness.runFile(file, args, { seed: 9 });
  const calls = harness.journal.listCalls(outcome.runId);
  const agents = calls.filter((call) => call.kind === 'agent');
  expect(rehearsal.status).toBe('done');
  expect(outcome.status).toBe('done');
  expect(rehearsal.calls.filter((call) => call.kind === 'agent').length).toBe(agents.length);
  return { outcome, calls, agents, rehearsal };
}

describe('built-in workflows', () => {
  it('PL-20 review: reviewer per file, two verifiers per finding, a report', async () => {
    const { outcome, agents } = await rehearseAndRun('review', { files: ['src/a.ts', 'src/b.ts'] });
    const labels = agents.map((agent) => agent.label);
    expect(labels.filter((label) => label.startsWith('review:'))).toHaveLength(2);
    const refuters = labels.filter((label) => label.startsWith('refute:')).length;
    expect(refuters).toBeGreaterThanOrEqual(2);
    expect(labels.filter((label) => label.startsWith('reproduce:')).length).toBe(refuters);
    expect(outcome.result).toMatchObject({ reviewed: 2 });
  });

  it('PL-21 bug-sweep: classify → hunt → three votes per candidate → report', async () => {
    const { outcome, agents } = await rehearseAndRun('bug-sweep', { maxFiles: 3 });
    const labels = agents.map((agent) => agent.label);
    expect(labels[0]).toBe('classify');
    const hunts = labels.filter((label) => label.startsWith('hunt:')).length;
    expect(hunts).toBeGreaterThanOrEqual(1);
    const votes = agents.filter((agent) => agent.phase === 'Vote').length;
    expect(votes % 3).toBe(0);
    expect(votes).toBeGreaterThanOrEqual(3 * hunts);
    expect(outcome.result).toMatchObject({ filesHunted: hunts });
  });

  it('PL-22 port: map → port → two reviewers → fix → build/test, refined until green', async () => {
    const args = {
      to: 'TypeScript',
      files: ['lib/a.js', 'lib/b.js'],
      build: 'make build',
      test: 'make test',
    };
    commands.length = 0;
    const { outcome, agents, rehearsal } = await rehearseAndRun('port', args);
    // The rehearsal records the commands without running them, and assumes they pass.
    expect(rehearsal.commands.map((entry) => entry.command)).toEqual(['make build', 'make test']);
    expect(commands).toEqual(['make build', 'make test']);
    expect(agents.filter((agent) => agent.label.startsWith('port:'))).toHaveLength(2);
    expect(agents.filter((agent) => agent.label.startsWith('review-'))).toHaveLength(4);
    expect(outcome.result).toMatchObject({ ported: 2, green: true, rounds: 1 });

    // A red build: a refine agent fixes it, and the next round is green.
    commands.length = 0;
    failFirstBuild = true;
    const red = await harness.runFile(path.join(BUILT_IN_WORKFLOWS, 'port.workflow.js'), args, { seed: 9 });
    expect(commands).toEqual(['make build', 'make build', 'make test']);
    const refines = harness.journal.listCalls(red.runId).filter((call) => call.label.startsWith('refine:'));
    expect(refines).toHaveLength(1);
    expect(red.result).toMatchObject({ ported: 2, green: true, rounds: 2 });
  });

  it('PL-23 optimize: one worktree agent per finding, each change checked', async () => {
    const { outcome, agents, rehearsal } = await rehearseAndRun('optimize', { maxFindings: 2 });
    const changes = agents.filter((agent) => agent.label.startsWith('change:'));
    expect(changes.length).toBeGreaterThanOrEqual(1);
    for (const change of changes)
      expect(JSON.parse(change.optionsJson)).toMatchObject({ isolation: 'worktree' });
    expect(rehearsal.calls.filter((call) => call.worktree).length).toBe(changes.length);
    expect(outcome.result).toMatchObject({ findings: changes.length });
  });
});
