/**
 * UC-*: `dynaflow ultracode "TASK"` end to end on the simulator: the planner's first script does
 * not validate, the error goes back, the second does; the card is shown, the workflow runs, and
 * it is saved as a command that runs again by name.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type BehaviourRequest,
  type SimContentBlock,
  type SimulatorHandle,
} from '../src/sim/index.js';
import { trustProject } from '../src/settings/index.js';
import { runCli, TEST_HOME } from './helpers/cli.js';

const VALID = `export const meta = {
  name: 'count-todos',
  description: 'Count TODO comments per folder, then add them up',
  phases: [{ title: 'Scan' }, { title: 'Sum' }],
}
const COUNT = { type: 'object', required: ['todos'], properties: { todos: { type: 'integer', minimum: 0 } } }
phase('Scan')
const parts = await parallel(['src', 'test'].map((dir) => () =>
  agent('Count the TODO comments under ' + dir, { label: 'scan:' + dir, schema: COUNT })))
phase('Sum')
const total = await agent('@sim reply 7\\nAdd up: ' + JSON.stringify(parts), { label: 'sum' })
return { folders: parts.length, total }
`;

/** The first answer has a syntax error: a call left open at the end of the file. */
const INVALID =
  "export const meta = { name: 'count-todos', description: 'Count TODOs' }\n\nreturn await agent('count'\n";

let sim: SimulatorHandle;
const plannerPrompts: string[] = [];
const plannerModels: string[] = [];

function isPlanner(request: BehaviourRequest): boolean {
  const blocks = Array.isArray(request.system) ? (request.system as readonly SimContentBlock[]) : [];
  const system = blocks.map((block) => block.text ?? '').join('');
  return system.includes('You are the planner of dynaflow');
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    behaviour: {
      respond(request) {
        if (!isPlanner(request)) return undefined;
        plannerPrompts.push(request.sim.firstUserText);
        plannerModels.push(request.model);
        const repairing = request.sim.firstUserText.includes('failed validation');
        return {
          json: { name: 'count-todos', description: 'Count TODOs', script: repairing ? VALID : INVALID },
        };
      },
    },
  });
});
afterAll(async () => sim.close());

const env = () => ({ ANTHROPIC_BASE_URL: sim.url, ANTHROPIC_API_KEY: 'test-key' });

describe('ultracode', () => {
  it('UC-01 task → invalid script → repaired by the planner → card → run → saved command runs again by name', async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-ultracode-'));
    writeFileSync(path.join(project, 'README.md'), '# a project\n');
    plannerPrompts.length = 0;
    const result = await runCli(
      ['ultracode', 'Count the TODO comments in this project', '--yes', '--provider', 'anthropic'],
      { cwd: project, env: env() },
    );
    expect(result.code).toBe(0);
    // Two planner answers: the second prompt carried the first one's validation error.
    expect(plannerPrompts).toHaveLength(2);
    expect(plannerPrompts[0]).toContain('Count the TODO comments in this project');
    expect(plannerPrompts[1]).toMatch(/failed validation:\n- \d+:\d+ Unexpected/);
    expect(result.stderr).toMatch(/planner: repairing \(round 2\)/);
    // The card, then the run.
    expect(result.stderr).toMatch(/Scan\s+2\b/);
    expect(result.stderr).toMatch(/total\s+3\b/);
    expect(result.stderr).toMatch(/^run wf_/m);
    expect(JSON.parse(result.stdout)).toEqual({ folders: 2, total: '7' });
    const saved = path.join(project, '.dynaflow', 'workflows', 'count-todos.workflow.js');
    expect(readFileSync(saved, 'utf8')).toBe(VALID);

    const again = await runCli(['count-todos', '--yes', '--provider', 'anthropic'], {
      cwd: project,
      env: env(),
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ folders: 2, total: '7' });
    const viaRun = await runCli(['run', 'count-todos', '--yes', '--provider', 'anthropic'], {
      cwd: project,
      env: env(),
    });
    expect(viaRun.code).toBe(0);
    expect(plannerPrompts).toHaveLength(2);
  });

  it('UC-02 with "ultracode": true in the settings, `dynaflow "TASK"` plans; without --yes and a terminal it stops at the card (exit 4)', async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-ultracode-'));
    mkdirSync(path.join(project, '.dynaflow'), { recursive: true });
    writeFileSync(path.join(project, '.dynaflow', 'settings.json'), '{ "ultracode": true }\n');
    plannerPrompts.length = 0;
    const before = sim.stats().requests;
    const result = await runCli(['Count the TODO comments', '--provider', 'anthropic'], {
      cwd: project,
      env: env(),
    });
    expect(result.code).toBe(4);
    expect(plannerPrompts).toHaveLength(2);
    // Only the planner talked to the provider: nothing of the workflow ran.
    expect(sim.stats().requests - before).toBe(2);
    expect(result.stderr).toMatch(/total\s+3\b/);
    expect(existsSync(path.join(project, '.dynaflow', 'workflows', 'count-todos.workflow.js'))).toBe(true);
  });

  it('UC-03 the planner asks for its model through settings `models`, like every agent', async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-ultracode-'));
    mkdirSync(path.join(project, '.dynaflow'), { recursive: true });
    writeFileSync(
      path.join(project, '.dynaflow', 'settings.json'),
      JSON.stringify({ models: { opus: 'claude-opus-4-1' } }),
    );
    trustProject(project, TEST_HOME);
    plannerModels.length = 0;
    const result = await runCli(['ultracode', 'Count the TODO comments', '--provider', 'anthropic'], {
      cwd: project,
      env: env(),
    });
    expect(result.code).toBe(4);
    expect(plannerModels).toEqual(['claude-opus-4-1', 'claude-opus-4-1']);
  });
});
