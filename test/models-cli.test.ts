/**
 * CA-08, CA-09: model names are resolved before the first agent starts — the run's model and every
 * `meta.phases[].model` — with the overrides of settings `models`; an unknown one is MODEL_UNKNOWN
 * (exit 2) with no request sent. Through the real CLI against an external simulator.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trustProject } from '../src/settings/index.js';
import { startSimulator, type SimulatorHandle } from '../src/sim/index.js';
import { runCli } from './helpers/cli.js';

let sim: SimulatorHandle;
let project: string;
let env: NodeJS.ProcessEnv;

const ONE_AGENT = `export const meta = { name: 'one', description: 'one agent' }
return await agent('which model?')
`;

beforeAll(async () => {
  // The agent answers with the model id it was asked for, so stdout shows what was resolved.
  sim = await startSimulator({ behaviour: { respond: (request) => ({ text: request.model }) } });
  project = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-models-'));
  const home = path.join(project, 'home');
  mkdirSync(home);
  env = { ANTHROPIC_API_KEY: 'test', ANTHROPIC_BASE_URL: sim.url, HOME: home };
  mkdirSync(path.join(project, '.dynaflow'));
  writeFileSync(
    path.join(project, '.dynaflow', 'settings.json'),
    JSON.stringify({ models: { fast: 'claude-haiku-4-5', sonnet: 'claude-sonnet-4-5' } }),
  );
  // A project's model remappings apply in a folder the user trusted.
  trustProject(project, home);
});
afterAll(async () => {
  await sim.close();
  rmSync(project, { recursive: true, force: true });
});
beforeEach(() => {
  sim.reset();
});

function script(name: string, text: string): string {
  const file = path.join(project, name);
  writeFileSync(file, text);
  return file;
}

function run(file: string, extra: string[] = []) {
  return runCli(['run', file, '--provider', 'anthropic', '--yes', '--quiet', ...extra], {
    cwd: project,
    env,
  });
}

describe('models resolved before the first agent', () => {
  it('CA-08 an unknown --model is MODEL_UNKNOWN, exit 2, and no request reaches the provider', async () => {
    const result = await run(script('one.workflow.js', ONE_AGENT), ['--model', 'gpt-nonsense']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MODEL_UNKNOWN');
    expect(result.stdout).toBe('');
    expect(sim.stats().requests).toBe(0);
  });

  it('CA-08 an unknown meta.phases[].model fails the run up front, even if the phase comes last', async () => {
    const file = script(
      'phases.workflow.js',
      `export const meta = { name: 'phases', description: 'two phases', phases: [{ title: 'A' }, { title: 'B', model: 'sonet' }] }
phase('A')
await agent('first')
phase('B')
return await agent('second')
`,
    );
    const result = await run(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MODEL_UNKNOWN');
    expect(sim.stats().requests).toBe(0);
  });

  it('CA-09 settings `models` reach the provider: a custom name and an overridden alias', async () => {
    const file = script('one.workflow.js', ONE_AGENT);
    const custom = await run(file, ['--model', 'fast']);
    expect(custom.code).toBe(0);
    expect(JSON.parse(custom.stdout)).toBe('claude-haiku-4-5');
    const alias = await run(file, ['--model', 'sonnet']);
    expect(JSON.parse(alias.stdout)).toBe('claude-sonnet-4-5');
    expect(sim.stats().requests).toBe(2);
  });
});
