/**
 * MO-2*: a background run (`run --detach`) is an ordinary run: `runs` lists it as running,
 * `monitor` follows it from another process, `cancel` stops it and `resume` finishes it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../src/sim/index.js';
import { runCli } from './helpers/cli.js';

const SCRIPT = `export const meta = { name: 'held', description: 'four agents', phases: [{ title: 'Wait' }] }
phase('Wait')
return await parallel([1, 2, 3, 4].map((n) => () => agent('@sim reply r' + n, { label: 'w' + n })))
`;

let sim: SimulatorHandle;
/** The simulator holds every answer until the test opens the gate. */
let openGate: () => void = () => {};
const gate = new Promise<void>((resolve) => {
  openGate = resolve;
});

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    behaviour: {
      respond: async () => {
        await gate;
        return undefined;
      },
    },
  });
});
afterAll(async () => {
  openGate();
  await sim.close();
});

describe('background runs', () => {
  it('MO-20 detach → runs shows it running → monitor follows → cancel → resume finishes it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-bg-'));
    writeFileSync(path.join(dir, 'held.workflow.js'), SCRIPT);
    const env = { ANTHROPIC_BASE_URL: sim.url, ANTHROPIC_API_KEY: 'test-key' };
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    const started = await cli(['run', 'held.workflow.js', '--yes', '--provider', 'anthropic', '--detach']);
    expect(started.code).toBe(0);
    const runId = started.stdout.trim();
    expect(runId).toMatch(/^wf_/);

    const listed = await cli(['runs', '--json']);
    const runs = JSON.parse(listed.stdout) as { id: string; status: string }[];
    expect(runs.find((run) => run.id === runId)?.status).toBe('running');

    // The attached monitor sees the four agents running (plain lines without a terminal).
    await expect
      .poll(async () => (await cli(['monitor', runId, '--once'])).stderr, { timeout: 15_000 })
      .toMatch(/… w4/);

    expect((await cli(['cancel', runId])).code).toBe(0);
    const followed = await cli(['monitor', runId]);
    expect(followed.code).toBe(0);
    expect(followed.stderr).toMatch(/4 interrupted/);

    openGate();
    const resumed = await cli(['resume', runId]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });
});
