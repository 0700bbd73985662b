/**
 * MO-1*: the monitor's keys act on a live run through RunControl: skip makes that agent() return
 * null (journaled `skipped`; a resume returns null again without a request), pause holds new
 * agents back until resume, cancel stops the run (resumable). MO-13: the same keys from a monitor
 * attached in another terminal reach the driver through the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalSteering } from '../src/cli/commands/monitor.js';
import { openJournal } from '../src/journal/index.js';
import {
  createRunControl,
  startRun,
  resumeRun,
  type RunControl,
  type RunEvent,
} from '../src/runtime/index.js';
import { parseScript } from '../src/script/index.js';
import { createHarness, type Harness } from './helpers/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness.close());

const SLOW_THEN_QUICK = `export const meta = { name: 'skip-me', description: 'one slow agent, then a quick one' }
const slow = await agent('@sim latency 5000\\n@sim reply slow', { label: 'slow' })
const quick = await agent('@sim reply quick', { label: 'quick' })
return { slow, quick }`;

function start(text: string, control: RunControl, onEvent: (event: RunEvent) => void) {
  return startRun(
    { ...harness.deps, control, listener: onEvent },
    { script: parseScript(text, 'control.workflow.js'), args: undefined, seed: 1 },
  );
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('run control', () => {
  it('MO-10 skip: the running agent returns null and is journaled as skipped', async () => {
    const control = createRunControl();
    const events: RunEvent[] = [];
    const outcome = await start(SLOW_THEN_QUICK, control, (event) => {
      events.push(event);
      if (event.type === 'agent-start' && event.label === 'slow') {
        setImmediate(() => control.skip(event.callKey));
      }
    });
    expect(outcome.status).toBe('done');
    expect(outcome.result).toEqual({ slow: null, quick: 'quick' });
    const slow = harness.journal.listCalls(outcome.runId).find((call) => call.label === 'slow');
    expect(slow?.status).toBe('skipped');
    expect(slow?.resultJson).toBe('null');
    expect(events.find((event) => event.type === 'agent-end' && event.label === 'slow')).toMatchObject({
      status: 'skipped',
      reused: false,
    });
    expect(control.skip(slow!.callKey)).toBe(false);
  });

  it('MO-11 a skipped agent stays null on resume, with no request for it', async () => {
    const text = `export const meta = { name: 'skip-then-cancel', description: 'skip one, cancel during the next' }
const first = await agent('@sim latency 5000\\n@sim reply first', { label: 'first' })
const second = await agent('@sim latency 300\\n@sim reply second', { label: 'second' })
return { first, second }`;
    const control = createRunControl();
    const stopped = await start(text, control, (event) => {
      if (event.type !== 'agent-start') return;
      if (event.label === 'first') setImmediate(() => control.skip(event.callKey));
      if (event.label === 'second') setImmediate(() => control.cancel());
    });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.error?.code).toBe('RUN_CANCELLED');
    const before = harness.sim.stats().requests;
    const resumed = await resumeRun(harness.deps, { runId: stopped.runId });
    expect(resumed.status).toBe('done');
    expect(resumed.result).toEqual({ first: null, second: 'second' });
    expect(harness.sim.stats().requests - before).toBe(1);
  });

  it('MO-12 pause holds the next agent in the queue; resume lets it run', async () => {
    const control = createRunControl();
    control.pause();
    const events: RunEvent[] = [];
    const running = start(
      `export const meta = { name: 'paused', description: 'one agent' }\nreturn await agent('@sim reply ok')`,
      control,
      (event) => events.push(event),
    );
    await until(() => control.queued() === 1);
    expect(control.paused).toBe(true);
    expect(events.some((event) => event.type === 'agent-start')).toBe(false);
    control.resume();
    const outcome = await running;
    expect(outcome.result).toBe('ok');
    expect(events.some((event) => event.type === 'agent-start')).toBe(true);
  });

  it('MO-13 pause, resume and skip asked through the journal (an attached monitor) reach the driver', async () => {
    const control = createRunControl();
    const events: RunEvent[] = [];
    const text = `export const meta = { name: 'steered', description: 'a slow agent, then two quick ones' }
const slow = await agent('@sim latency 5000\\n@sim reply slow', { label: 'slow' })
const rest = await parallel([1, 2].map((i) => () => agent('@sim reply quick ' + i, { label: 'quick' + i })))
return { slow, rest }`;
    const running = startRun(
      { ...harness.deps, control, listener: (event) => events.push(event), cancelPollMs: 20 },
      { script: parseScript(text, 'steered.workflow.js'), args: undefined, seed: 1 },
    );
    await until(() => events.some((event) => event.type === 'agent-start' && event.label === 'slow'));
    const runId = events.find((event) => event.type === 'run-start')!.runId;
    const slowKey = harness.journal.listCalls(runId).find((call) => call.label === 'slow')!.callKey;
    // Another process would open its own connection; the requests are the same rows either way.
    harness.journal.requestSteering(runId, { paused: true });
    await until(() => control.paused);
    harness.journal.requestSteering(runId, { skip: slowKey });
    await until(() => control.queued() === 2);
    expect(events.some((event) => event.type === 'agent-start' && event.label.startsWith('quick'))).toBe(
      false,
    );
    expect(harness.journal.readSteering(runId)).toEqual({ paused: true, skipped: [slowKey] });
    harness.journal.requestSteering(runId, { paused: false });
    const outcome = await running;
    expect(outcome.result).toEqual({ slow: null, rest: ['quick 1', 'quick 2'] });
    expect(harness.journal.listCalls(runId).find((call) => call.label === 'slow')?.status).toBe('skipped');
  });

  it("MO-14 the attached monitor's keys write steering requests; skip only targets a running agent", () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-attached-'));
    try {
      const driver = openJournal({ stateDir });
      const run = driver.createRun({
        scriptPath: 'x.workflow.js',
        scriptHash: 'h',
        scriptText: 'return 1',
        argsJson: null,
        provider: 'sim',
        model: 'sonnet',
        limits: { concurrency: 1, maxAgents: 1, budgetTokens: null, maxCostUsd: null },
        seed: 1,
      });
      const agents = new Map([
        ['running#1', { state: 'running' }],
        ['done#1', { state: 'done' }],
      ]) as unknown as Parameters<typeof journalSteering>[2]['agents'];
      const keys = journalSteering(stateDir, run.id, { agents }, driver);
      expect(keys.paused).toBe(false);
      keys.pause();
      expect(keys.paused).toBe(true);
      expect(keys.skip('running#1')).toBe(true);
      expect(keys.skip('done#1')).toBe(false);
      expect(driver.readSteering(run.id)).toEqual({ paused: true, skipped: ['running#1'] });
      keys.resume();
      keys.cancel();
      expect(driver.readSteering(run.id).paused).toBe(false);
      expect(driver.getRun(run.id)?.status).toBe('cancelled');
      driver.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
