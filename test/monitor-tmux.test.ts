/**
 * MO-T*: the live monitor in a real terminal. `dynaflow demo` runs inside a detached tmux session
 * (its own tmux server, fixed size); the test reads the screen with capture-pane and types keys
 * with send-keys, as a person would. MO-T2 attaches `dynaflow monitor` to a run another process
 * drives. Waits are bounded polls, never fixed sleeps.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../src/journal/index.js';
import { BIN, cleanEnvironment } from './helpers/cli.js';

const SOCKET = `dynaflow-test-${process.pid}`;
const SESSION = 'demo';
let scratch: string;
let stateDir: string;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', env: tmuxEnvironment() });
}

function tmuxEnvironment(): NodeJS.ProcessEnv {
  // ink paints only the last frame when it sees a CI variable; CI runs this suite with CI=true.
  const { CI: _ci, CONTINUOUS_INTEGRATION: _continuous, ...environment } = cleanEnvironment();
  return { ...environment, TERM: 'xterm-256color', DYNAFLOW_STUCK_SECONDS: '60' };
}

function screen(session = SESSION): string {
  return tmux('capture-pane', '-p', '-t', session);
}

/** Polls the screen until `test` finds what it wants; fails after `limitMs` with the last screen. */
async function waitForScreen<T>(
  test: (text: string) => T | undefined,
  limitMs = 30_000,
  session = SESSION,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last = '';
  for (;;) {
    last = screen(session);
    const found = test(last);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`screen never matched; last screen:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-tmux-'));
  stateDir = path.join(scratch, 'state');
  const command = [
    `cd ${JSON.stringify(scratch)}`,
    `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} demo --latency 900 --concurrency 3 --state-dir ${JSON.stringify(stateDir)}`,
    'echo "DEMO-EXIT:$?"',
    'sleep 600',
  ].join('; ');
  tmux('new-session', '-d', '-s', SESSION, '-x', '150', '-y', '48', command);
});

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
});

describe('monitor in a terminal', () => {
  it('MO-T1 demo: counts move, a running agent row shows, k skips the selected agent (agent() → null)', async () => {
    // A running agent row: the selected one is marked ›, with its model and tool count.
    await waitForScreen((text) => (/^› \S+.*sonnet.*tools/m.test(text) ? true : undefined));
    const doneCount = (text: string): number | undefined => {
      const match = /agents (\d+) done · (\d+) running/.exec(text);
      return match ? Number(match[1]) : undefined;
    };
    const first = await waitForScreen(doneCount);
    // Progress moves before the run ends.
    const later = await waitForScreen((text) => {
      const count = doneCount(text);
      return count !== undefined && count > first ? count : undefined;
    });
    expect(later).toBeGreaterThan(first);

    // Skip a review or verify agent (skipping the map agent would end the demo early). The
    // selected agent may finish between reading the screen and the key: then nothing is running
    // at that instant and the monitor says so; try again.
    let target = '';
    for (let attempt = 0; attempt < 5 && target === ''; attempt++) {
      await waitForScreen((text) => (/^› (?:review|verify-[ab]):\S+/m.test(text) ? true : undefined));
      tmux('send-keys', '-t', SESSION, 'k');
      target = await waitForScreen(
        (text) =>
          /skipped (\S+): its agent\(\) returns null/.exec(text)?.[1] ??
          (text.includes('no running agent selected') ? '' : undefined),
      );
    }
    expect(target).toMatch(/^(review|verify-[ab]):/);

    const exit = await waitForScreen((text) => /DEMO-EXIT:(\d+)/.exec(text)?.[1], 60_000);
    expect(exit).toBe('0');

    const journal = openJournal({ stateDir, readonly: true });
    try {
      const [run] = journal.listRuns({ limit: 1 });
      expect(run?.status).toBe('done');
      const skipped = journal.listCalls(run!.id).filter((call) => call.status === 'skipped');
      expect(skipped.map((call) => call.label)).toEqual([target]);
      expect(skipped[0]?.resultJson).toBe('null');
    } finally {
      journal.close();
    }
  });

  it('MO-T2 a monitor attached from another terminal pauses, resumes and skips the run it watches', async () => {
    const project = path.join(scratch, 'attached');
    mkdirSync(project);
    const attachedState = path.join(project, 'state');
    writeFileSync(
      path.join(project, 'slow.workflow.js'),
      `export const meta = { name: 'slow', description: 'six slow agents' }
return (await parallel(Array.from({ length: 6 }, (_, i) => () => agent('@sim latency 1500\\n@sim reply ok ' + i, { label: 'slow' + i })))).length
`,
    );
    const node = JSON.stringify(process.execPath);
    const bin = JSON.stringify(BIN);
    const state = JSON.stringify(attachedState);
    const started = execFileSync(
      process.execPath,
      [
        BIN,
        'run',
        'slow.workflow.js',
        '--provider',
        'sim',
        '--yes',
        '--detach',
        '--concurrency',
        '2',
        '--state-dir',
        attachedState,
      ],
      { cwd: project, encoding: 'utf8', env: tmuxEnvironment() },
    );
    const runId = /wf_[a-z0-9-]+/.exec(started)?.[0] ?? '';
    expect(runId).not.toBe('');
    tmux(
      'new-session',
      '-d',
      '-s',
      'attached',
      '-x',
      '150',
      '-y',
      '40',
      `cd ${JSON.stringify(project)}; ${node} ${bin} monitor ${runId} --state-dir ${state}; sleep 600`,
    );
    await waitForScreen((text) => (/^› slow\d/m.test(text) ? true : undefined), 30_000, 'attached');

    // p: the driver (another process) stops dispatching within its one-second poll.
    tmux('send-keys', '-t', 'attached', 'p');
    await waitForScreen((text) => (text.includes('PAUSED') ? true : undefined), 10_000, 'attached');
    const stalled = await waitForScreen(
      (text) => /agents (\d+) done · 0 running/.exec(text)?.[1],
      20_000,
      'attached',
    );
    expect(Number(stalled)).toBeLessThan(6);
    const journal = openJournal({ stateDir: attachedState, readonly: true });
    try {
      expect(journal.readSteering(runId).paused).toBe(true);
      // p again: dispatching resumes; k skips the agent the monitor has selected.
      tmux('send-keys', '-t', 'attached', 'p');
      let skipped = '';
      for (let attempt = 0; attempt < 5 && skipped === ''; attempt++) {
        await waitForScreen((text) => (/^› slow\d/m.test(text) ? true : undefined), 20_000, 'attached');
        tmux('send-keys', '-t', 'attached', 'k');
        skipped = await waitForScreen(
          (text) =>
            /skipped (slow\d): its agent\(\) returns null/.exec(text)?.[1] ??
            (text.includes('no running agent selected') ? '' : undefined),
          10_000,
          'attached',
        );
      }
      expect(skipped).toMatch(/^slow\d$/);
      await waitForScreen(
        (text) => (text.includes(`${runId} ended: done`) ? true : undefined),
        60_000,
        'attached',
      );
      const calls = journal.listCalls(runId);
      expect(calls.filter((call) => call.status === 'skipped').map((call) => call.label)).toEqual([skipped]);
      expect(calls.filter((call) => call.status === 'done')).toHaveLength(5);
      expect(journal.getRun(runId)?.status).toBe('done');
    } finally {
      journal.close();
    }
  });
});
