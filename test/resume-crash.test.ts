/**
 * RS-01..: kill -9 anywhere, resume, and no finished agent is paid twice (SPEC §2, issue 3
 * acceptance). Everything goes through the real CLI against an external simulator process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dynaflow,
  liveCompletions,
  readJournalFile,
  runIdOf,
  scratchProject,
  seededRandom,
  simEnvironment,
  spawnDynaflow,
  startExternalSim,
  type ExternalSim,
} from './resume-support.js';

const AGENTS = 300;
const CONCURRENCY = 16;
const KILLS = 3;

// The result depends on every agent's answer (the simulator's deterministic default text), so
// a replayed answer that differed from the recorded one would show.
const FAN_OUT = `export const meta = { name: 'fan', description: 'crash fuzz fan-out' }
phase('Fan')
const answers = await parallel(Array.from({ length: args.n }, (_, i) => () =>
  agent('item ' + i + ': name one thing about the number ' + i, { label: 'item-' + i })))
log(answers.filter((a) => a !== null).length + ' answered')
return { answered: answers.filter((a) => a !== null).length, answers }
`;

let sim: ExternalSim;
beforeAll(async () => {
  sim = await startExternalSim(30);
});
afterAll(async () => sim.stop());

describe('kill -9 and resume', () => {
  it(`RS-01 ${AGENTS} agents, kill -9 at ${KILLS} seeded random moments: same result, integrity ok, no completed call requested twice`, async () => {
    const env = simEnvironment(sim);
    const args = ['--args', JSON.stringify({ n: AGENTS }), '--concurrency', String(CONCURRENCY)];

    // The reference: the same script in the same project (agents see its path), uninterrupted,
    // against the same simulator, journaled elsewhere.
    const scratch = scratchProject('rs01');
    const script = scratch.script('fan.workflow.js', FAN_OUT);
    const reference = { ...scratch, stateDir: `${scratch.stateDir}-reference` };
    const uninterrupted = await dynaflow(['run', script, '--yes', '--quiet', ...args], reference, env);
    expect(uninterrupted.code).toBe(0);
    const expected = JSON.parse(uninterrupted.stdout) as { answered: number };
    expect(expected.answered).toBe(AGENTS);

    const random = seededRandom(20_250_301);
    const before = await sim.requests();
    let runId: string | undefined;
    let finishedLive = 0;
    const killedAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const live = spawnDynaflow(
        runId === undefined ? ['run', script, '--yes', ...args] : ['resume', runId],
        scratch,
        env,
      );
      await live.waitForStderr((text) => /^run wf_/m.test(text));
      runId ??= runIdOf(live.stderr());
      // Kill after a random share of what is left has finished in this process, plus a random
      // delay, so the kill lands mid-flight; the second kill may land while replaying.
      const left = AGENTS - finishedLive;
      const target = kill === 1 && random() < 0.5 ? 0 : Math.floor(10 + random() * (left / 3));
      await live.waitForStderr((text) => liveCompletions(text) >= target);
      await new Promise((resolve) => setTimeout(resolve, random() * 40));
      live.child.kill('SIGKILL');
      const ended = await live.exited;
      expect(ended.signal).toBe('SIGKILL');
      finishedLive += liveCompletions(live.stderr());
      killedAt.push(finishedLive);
      expect(finishedLive).toBeLessThan(AGENTS);
    }

    // The stale lock of the last killed driver is taken over at once; the run finishes.
    const final = await dynaflow(['resume', runId ?? '', '--quiet'], scratch, env);
    expect(final.code).toBe(0);
    expect(final.stderr).not.toMatch(/RUN_LOCKED|is being driven/);
    expect(JSON.parse(final.stdout)).toEqual(expected);

    const requests = (await sim.requests()) - before;
    console.log(
      `RS-01: killed after ${killedAt.join(', ')} agents done; ${requests} requests for ${AGENTS} agents`,
    );
    expect(requests).toBeGreaterThanOrEqual(AGENTS);
    expect(requests).toBeLessThanOrEqual(AGENTS + KILLS * CONCURRENCY);

    readJournalFile(scratch, (db) => {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const statuses = db
        .prepare(`SELECT status, count(*) AS n FROM calls WHERE run_id = ? GROUP BY status`)
        .all(runId) as { status: string; n: number }[];
      expect(statuses).toEqual([{ status: 'done', n: AGENTS }]);
      expect(db.prepare(`SELECT status FROM runs WHERE id = ?`).pluck().get(runId)).toBe('done');
    });
  });
});
