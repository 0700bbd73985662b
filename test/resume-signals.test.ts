/**
 * RS-10..: stopping a run on purpose — Ctrl-C (SIGINT), `dynaflow cancel` from another process —
 * and a second driver racing a live one. Through the real CLI against an external simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  driverPid,
  dynaflow,
  liveCompletions,
  readJournalFile,
  runIdOf,
  scratchProject,
  simEnvironment,
  spawnDynaflow,
  startExternalSim,
  type ExternalSim,
  type Scratch,
} from './resume-support.js';

const AGENTS = 160;

// args.latency (ms) slows every agent down, for tests that need the run to last.
const FAN_OUT = `export const meta = { name: 'fan', description: 'fan-out' }
const slow = args.latency ? '\\n@sim latency ' + args.latency : ''
const answers = await parallel(Array.from({ length: args.n }, (_, i) => () =>
  agent('task ' + i + slow + '\\n@sim reply answer ' + i, { label: 'task-' + i })))
return answers
`;
const EXPECTED = Array.from({ length: AGENTS }, (_, i) => `answer ${i}`);

let sim: ExternalSim;
beforeAll(async () => {
  sim = await startExternalSim(30);
});
afterAll(async () => sim.stop());

function callStatuses(scratch: Scratch, runId: string): Record<string, number> {
  return readJournalFile(scratch, (db) =>
    Object.fromEntries(
      (
        db.prepare(`SELECT status, count(*) AS n FROM calls WHERE run_id = ? GROUP BY status`).all(runId) as {
          status: string;
          n: number;
        }[]
      ).map((row) => [row.status, row.n]),
    ),
  );
}

function runStatus(scratch: Scratch, runId: string): unknown {
  return readJournalFile(scratch, (db) =>
    db.prepare(`SELECT status FROM runs WHERE id = ?`).pluck().get(runId),
  );
}

describe('graceful stops', () => {
  it('RS-10 SIGINT stops dispatch, records in-flight agents as interrupted, exits 130; resume finishes', async () => {
    const env = simEnvironment(sim);
    const scratch = scratchProject('rs10');
    const script = scratch.script('fan.workflow.js', FAN_OUT);
    const before = await sim.requests();
    const live = spawnDynaflow(
      ['run', script, '--yes', '--args', JSON.stringify({ n: AGENTS })],
      scratch,
      env,
    );
    await live.waitForStderr((text) => liveCompletions(text) >= 30);
    live.child.kill('SIGINT');
    const ended = await live.exited;
    expect(ended.code).toBe(130);
    expect(live.stdout()).toBe('');
    const runId = runIdOf(live.stderr());
    expect(live.stderr()).toContain(`dynaflow resume ${runId}`);
    expect(runStatus(scratch, runId)).toBe('interrupted');
    const statuses = callStatuses(scratch, runId);
    expect(statuses['running']).toBeUndefined();
    expect(statuses['done']).toBeGreaterThanOrEqual(30);
    expect(statuses['done']).toBeLessThan(AGENTS);

    const resumed = await dynaflow(['resume', runId, '--quiet'], scratch, env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual(EXPECTED);
    expect(resumed.stderr).toContain(`${statuses['done']} from journal`);
    // Done agents were never requested again; at most the interrupted ones twice.
    expect((await sim.requests()) - before).toBeLessThanOrEqual(AGENTS + 16);
  });

  it('RS-11 `dynaflow cancel` from another process stops the live driver (exit 130, status cancelled); resume finishes', async () => {
    const env = simEnvironment(sim);
    const scratch = scratchProject('rs11');
    const script = scratch.script('fan.workflow.js', FAN_OUT);
    // 160 agents × 200 ms at concurrency 16 last 2 s: longer than the driver's 1 s status poll.
    const args = JSON.stringify({ n: AGENTS, latency: 200 });
    const live = spawnDynaflow(['run', script, '--yes', '--args', args], scratch, env);
    await live.waitForStderr((text) => liveCompletions(text) >= 16);
    const runId = runIdOf(live.stderr());

    const driver = driverPid(live);
    const cancelled = await dynaflow(['cancel', runId], scratch);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stderr).toContain(`pid ${driver}`);
    const ended = await live.exited;
    expect(ended.code).toBe(130);
    expect(runStatus(scratch, runId)).toBe('cancelled');
    expect(callStatuses(scratch, runId)['running']).toBeUndefined();

    const shown = await dynaflow(['show', runId, '--json'], scratch);
    expect(shown.code).toBe(0);
    expect((JSON.parse(shown.stdout) as { run: { status: string } }).run.status).toBe('cancelled');
    // Cancelling again changes nothing.
    expect((await dynaflow(['cancel', runId], scratch)).code).toBe(0);

    const resumed = await dynaflow(['resume', runId, '--quiet'], scratch, env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual(EXPECTED);
  });
});

describe('one driver per run', () => {
  it('RS-12 a second driver of a live run gets RUN_LOCKED (exit 2); runs/show name the live driver', async () => {
    const env = simEnvironment(sim);
    const scratch = scratchProject('rs12');
    const slow = `export const meta = { name: 'slow', description: 'slow' }
return await parallel([0, 1, 2].map((i) => () => agent('slow ' + i + '\\n@sim latency 6000\\n@sim reply s' + i)))
`;
    const script = scratch.script('slow.workflow.js', slow);
    const live = spawnDynaflow(['run', script, '--yes'], scratch, env);
    await live.waitForStderr((text) => /… slow 2/.test(text));
    const runId = runIdOf(live.stderr());

    const second = await dynaflow(['resume', runId], scratch, env);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('RUN_LOCKED');
    expect(second.stderr).toContain(`pid ${driverPid(live)}`);
    expect(second.stdout).toBe('');

    const listed = await dynaflow(['runs', '--json'], scratch);
    const summary = (
      JSON.parse(listed.stdout) as { id: string; status: string; driver: { pid: number } | null }[]
    )[0];
    expect(summary).toMatchObject({ id: runId, status: 'running', driver: { pid: driverPid(live) } });

    const shown = JSON.parse((await dynaflow(['show', runId, '--json'], scratch)).stdout) as {
      driver: unknown;
    };
    expect(shown.driver).toEqual({ pid: driverPid(live), host: expect.any(String) as unknown });

    // The first driver is unaffected by the refused second one: Ctrl-C still stops it cleanly.
    live.child.kill('SIGINT');
    expect((await live.exited).code).toBe(130);
    expect(runStatus(scratch, runId)).toBe('interrupted');
  });

  it("RS-13 after kill -9 the dead driver's lock is taken over at once by resume", async () => {
    const env = simEnvironment(sim);
    const scratch = scratchProject('rs13');
    const script = scratch.script('fan.workflow.js', FAN_OUT);
    const live = spawnDynaflow(['run', script, '--yes', '--args', JSON.stringify({ n: 40 })], scratch, env);
    await live.waitForStderr((text) => liveCompletions(text) >= 5);
    live.child.kill('SIGKILL');
    await live.exited;
    const runId = runIdOf(live.stderr());
    // The journal still says running, with a lock row of a dead pid: `runs` shows no live driver.
    const listed = JSON.parse((await dynaflow(['runs', '--json'], scratch)).stdout) as {
      status: string;
      driver: unknown;
    }[];
    expect(listed[0]).toMatchObject({ status: 'running', driver: null });

    const resumed = await dynaflow(['resume', runId, '--quiet'], scratch, env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual(EXPECTED.slice(0, 40));
  });
});
