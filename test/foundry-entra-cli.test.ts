/**
 * `dynaflow run --provider foundry` without ANTHROPIC_FOUNDRY_API_KEY, as Claude Code does it:
 * Microsoft Entra ID through the Azure SDK's credential chain (a fake `az` here), through the
 * bundled CLI against an external simulator that refuses requests without a credential.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createFakeAzureCli } from '../src/providers/index.js';
import { startSimulator, type SimulatorHandle } from '../src/sim/index.js';
import { runCli } from './helpers/cli.js';

const FANOUT = `export const meta = { name: 'fanout', description: 'n agents at once' }
return await parallel(Array.from({ length: args.n }, (_, i) => () => agent(\`@sim reply answer \${i}\`)))
`;

let sim: SimulatorHandle;
let project: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  project = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-entra-cli-'));
  await writeFile(path.join(project, 'fanout.workflow.js'), FANOUT);
});
afterAll(async () => {
  await sim.close();
  await rm(project, { recursive: true, force: true });
});
beforeEach(() => {
  sim.reset();
});

function run(args: readonly string[], env: NodeJS.ProcessEnv) {
  return runCli(args, {
    cwd: project,
    env: { ...env, HOME: project, ANTHROPIC_FOUNDRY_BASE_URL: `${sim.url}/anthropic` },
  });
}

describe('foundry with Entra ID from the CLI', () => {
  it('runs a fan-out with one token from the Azure chain for every agent', async () => {
    const az = await createFakeAzureCli(project, { token: 'entra-cli-token' });
    const result = await run(
      ['run', 'fanout.workflow.js', '--provider', 'foundry', '--yes', '--quiet', '--args', '{"n":4}'],
      az.env,
    );
    expect(result.stderr).not.toContain('entra-cli-token');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['answer 0', 'answer 1', 'answer 2', 'answer 3']);
    expect(sim.stats().byRoute).toEqual({ 'foundry.messages': 4 });
    expect(await az.calls()).toHaveLength(1);
  });
});
