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
  it('EN-04 runs a fan-out with one token from the Azure chain for every agent', async () => {
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

  it('EN-05 without a sign-in stops the run at once (exit 2, no request), and resume finishes it after az login', async () => {
    const signedOut = await createFakeAzureCli(project, { signedIn: false });
    const failed = await run(
      ['run', 'fanout.workflow.js', '--provider', 'foundry', '--yes', '--args', '{"n":20}'],
      signedOut.env,
    );
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('PROVIDER_CREDENTIALS_MISSING');
    expect(failed.stderr).toContain('az login');
    // The agents in flight were interrupted (a resume runs them), and the reason is printed once
    // on their lines, once more as the run's error — not once per agent.
    expect(failed.stderr).toMatch(/, [1-9]\d* interrupted \(run again on resume\)/);
    expect(failed.stderr.match(/CredentialUnavailableError/g)).toHaveLength(2);
    expect(sim.stats().requests).toBe(0);
    // Agents wait in one queue; the first failure stops the rest before they ask Azure too.
    expect((await signedOut.calls()).length).toBeLessThanOrEqual(16);
    const runId = /run (wf_[a-z0-9-]+)/.exec(failed.stderr)?.[1];
    expect(runId).toBeDefined();

    const signedIn = await createFakeAzureCli(project, { token: 'entra-after-login' });
    const resumed = await run(['resume', runId!, '--quiet'], signedIn.env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `answer ${i}`));
    expect(sim.stats().byRoute).toEqual({ 'foundry.messages': 20 });
  });
});
