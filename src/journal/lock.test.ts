import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynaflowError } from '../errors/index.js';
import { openJournal, type JournalOptions, type JournalStore } from './index.js';
import { manualClock, newRunInput } from './internal/test-fixtures.js';

/** The pid of a process that has exited: certainly not alive (barring reuse within the test). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn a short-lived process');
  return child.pid;
}

function lockedCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return DynaflowError.isInstance(error) ? error.code : 'not a DynaflowError';
  }
  return undefined;
}

describe('run locks', () => {
  let stateDir: string;
  const opened: JournalStore[] = [];
  // Each store plays one process: same file, its own pid/host.
  const open = (options: JournalOptions = {}): JournalStore => {
    const journal = openJournal({ stateDir, heartbeatMs: 0, ...options });
    opened.push(journal);
    return journal;
  };

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-lock-'));
  });
  afterEach(() => {
    for (const journal of opened.splice(0)) journal.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('a second driver of a live holder gets RUN_LOCKED naming the holder', () => {
    const first = open();
    const run = first.createRun(newRunInput());
    const lock = first.acquireLock(run.id);
    expect(lock).toMatchObject({ runId: run.id, pid: process.pid, held: true, tookOverFrom: null });

    const second = open({ pid: 4_000_001 });
    let thrown: unknown;
    try {
      second.acquireLock(run.id);
    } catch (error) {
      thrown = error;
    }
    expect(DynaflowError.isInstance(thrown) && thrown.code).toBe('RUN_LOCKED');
    expect(DynaflowError.isInstance(thrown) && thrown.message).toContain(`pid ${process.pid}`);
    expect(DynaflowError.isInstance(thrown) && thrown.hint).toContain(`dynaflow resume ${run.id}`);
  });

  it('the same process cannot drive a run twice either', () => {
    const journal = open();
    const run = journal.createRun(newRunInput());
    journal.acquireLock(run.id);
    expect(lockedCode(() => journal.acquireLock(run.id))).toBe('RUN_LOCKED');
  });

  it('a holder on this host whose pid is dead is taken over', () => {
    const pid = deadPid();
    const crashed = open({ pid });
    const run = crashed.createRun(newRunInput());
    crashed.acquireLock(run.id);

    const next = open();
    const lock = next.acquireLock(run.id);
    expect(lock.tookOverFrom).toEqual({ pid, host: lock.host });
    expect(lock.held).toBe(true);
  });

  it('a holder on another host is live until its heartbeat is stale', () => {
    const clock = manualClock();
    const remote = open({ host: 'other-host', clock: clock.now, staleLockMs: 30_000 });
    const run = remote.createRun(newRunInput());
    remote.acquireLock(run.id);

    const local = open({ pid: 4_000_002, clock: clock.now, staleLockMs: 30_000 });
    clock.advance(29_000);
    expect(lockedCode(() => local.acquireLock(run.id))).toBe('RUN_LOCKED');
    clock.advance(2_000);
    expect(local.acquireLock(run.id).tookOverFrom).toEqual({ pid: process.pid, host: 'other-host' });
  });

  it('heartbeats keep a lock alive; the taken-over holder learns it lost the lock', () => {
    const clock = manualClock();
    let lost = 0;
    const remote = open({ host: 'other-host', clock: clock.now });
    const run = remote.createRun(newRunInput());
    const remoteLock = remote.acquireLock(run.id, { onLost: () => (lost += 1) });
    const local = open({ pid: 4_000_003, clock: clock.now });

    clock.advance(25_000);
    expect(remoteLock.heartbeat()).toBe(true);
    clock.advance(25_000);
    expect(lockedCode(() => local.acquireLock(run.id))).toBe('RUN_LOCKED');

    clock.advance(31_000);
    const localLock = local.acquireLock(run.id);
    expect(remoteLock.heartbeat()).toBe(false);
    expect(remoteLock.held).toBe(false);
    expect(lost).toBe(1);
    // The old holder's release must not free the new holder's lock.
    remoteLock.release();
    expect(lockedCode(() => open({ host: 'third-host', clock: clock.now }).acquireLock(run.id))).toBe(
      'RUN_LOCKED',
    );
    expect(localLock.held).toBe(true);
  });

  it('release and close free the run for the next driver', () => {
    const first = open();
    const run = first.createRun(newRunInput());
    first.acquireLock(run.id).release();
    const second = open({ pid: 4_000_005 });
    second.acquireLock(run.id);
    second.close();
    expect(open({ pid: 4_000_006 }).acquireLock(run.id).tookOverFrom).toBeNull();
  });

  it('a lock left by an earlier process with our own pid (pid reuse) is taken over', () => {
    const journal = open();
    const run = journal.createRun(newRunInput());
    // What a killed earlier incarnation with the same pid (PID 1 in containers) leaves behind.
    const raw = new Database(join(stateDir, 'dynaflow.db'));
    raw
      .prepare(`INSERT INTO run_locks VALUES (?, ?, ?, 'token-of-a-dead-process', ?, ?)`)
      .run(run.id, process.pid, hostname(), 'earlier', Date.now());
    raw.close();
    expect(journal.acquireLock(run.id).tookOverFrom?.pid).toBe(process.pid);
  });

  it('locking an unknown run is RUN_NOT_FOUND', () => {
    expect(lockedCode(() => open().acquireLock('wf_unknown'))).toBe('RUN_NOT_FOUND');
  });
});
