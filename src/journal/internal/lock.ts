/**
 * One driver per run. The lock is a row in the journal itself (not a lock file), so the same rule
 * carries over to a shared database where drivers run on different hosts.
 *
 * A lock is taken over when its holder is gone: its pid no longer exists on this host (kill -9),
 * or its heartbeat is older than `staleAfterMs` (a holder on another host, a frozen process, or a
 * recycled pid). Heartbeats compare wall clocks of different hosts, so `staleAfterMs` must exceed
 * their skew.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { JournalError } from '../../errors/index.js';
import type { AcquireLockOptions, LockHolder, RunLock } from '../journal-store.js';

export interface LockSettings {
  /** Who this process is; injectable so tests can play several processes. */
  readonly pid: number;
  readonly host: string;
  readonly nowMs: () => number;
  readonly isProcessAlive: (pid: number) => boolean;
  readonly heartbeatMs: number;
  readonly staleAfterMs: number;
}

interface LockRow {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly acquired_at: string;
  readonly heartbeat_at_ms: number;
}

/** Tokens of locks held anywhere in this process, so a recycled pid is not mistaken for a live holder. */
const TOKENS_HELD_IN_THIS_PROCESS = new Set<string>();

/**
 * `process.kill(pid, 0)`: ESRCH means no such process; EPERM means it exists (another user). A
 * zombie (state Z in /proc/<pid>/stat) is dead too: a runtime killed along with its launcher is
 * reparented to PID 1, and a container's PID 1 may take seconds (or forever) to reap it.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc (macOS) or the process just went: kill() said it was there.
    return true;
  }
}

type Verdict = 'live' | 'dead' | 'stale';

export class RunLocks {
  private readonly held = new Set<SqliteRunLock>();
  private readonly select: Database.Statement<[string], LockRow>;
  private readonly upsert: Database.Statement<[string, number, string, string, string, number]>;
  private readonly touch: Database.Statement<[number, string, string]>;
  private readonly remove: Database.Statement<[string, string]>;

  constructor(
    private readonly db: Database.Database,
    private readonly settings: LockSettings,
  ) {
    this.select = db.prepare(
      `SELECT pid, host, token, acquired_at, heartbeat_at_ms FROM run_locks WHERE run_id = ?`,
    );
    this.upsert = db.prepare(`INSERT OR REPLACE INTO run_locks
      (run_id, pid, host, token, acquired_at, heartbeat_at_ms) VALUES (?, ?, ?, ?, ?, ?)`);
    this.touch = db.prepare(`UPDATE run_locks SET heartbeat_at_ms = ? WHERE run_id = ? AND token = ?`);
    this.remove = db.prepare(`DELETE FROM run_locks WHERE run_id = ? AND token = ?`);
  }

  acquire(runId: string, options: AcquireLockOptions = {}): RunLock {
    const { pid, host, nowMs } = this.settings;
    const token = randomUUID();
    const acquiredAt = new Date(nowMs()).toISOString();
    // Immediate: the check and the claim happen under one write lock, so two drivers racing
    // for the same run cannot both win.
    const previous = this.db
      .transaction(() => {
        const row = this.select.get(runId);
        if (row !== undefined && this.assess(row) === 'live') throw this.lockedError(runId, row);
        this.upsert.run(runId, pid, host, token, acquiredAt, nowMs());
        return row;
      })
      .immediate();
    TOKENS_HELD_IN_THIS_PROCESS.add(token);
    const lock = new SqliteRunLock(this, runId, token, { pid, host }, acquiredAt, previous, options.onLost);
    this.held.add(lock);
    if (this.settings.heartbeatMs > 0) lock.startHeartbeat(this.settings.heartbeatMs);
    return lock;
  }

  /** The live holder of a run's lock, or null when there is none or it is dead or stale. */
  holder(runId: string): LockHolder | null {
    const row = this.select.get(runId);
    if (row === undefined || this.assess(row) !== 'live') return null;
    return { pid: row.pid, host: row.host };
  }

  releaseAll(): void {
    for (const lock of [...this.held]) lock.release();
  }

  /** @internal used by SqliteRunLock */
  refresh(runId: string, token: string): boolean {
    return this.touch.run(this.settings.nowMs(), runId, token).changes > 0;
  }

  /** @internal used by SqliteRunLock */
  forget(lock: SqliteRunLock, runId: string, token: string): void {
    this.held.delete(lock);
    TOKENS_HELD_IN_THIS_PROCESS.delete(token);
    if (this.db.open) this.remove.run(runId, token);
  }

  private assess(row: LockRow): Verdict {
    const { host, nowMs, isProcessAlive: alive, staleAfterMs } = this.settings;
    if (nowMs() - row.heartbeat_at_ms > staleAfterMs) return 'stale';
    if (row.host !== host) return 'live';
    // Our own pid: live only if the token belongs to a lock held in this process. Otherwise an
    // earlier process had the same pid (as PID 1 at every container start) and was killed.
    if (row.pid === process.pid) return TOKENS_HELD_IN_THIS_PROCESS.has(row.token) ? 'live' : 'dead';
    return alive(row.pid) ? 'live' : 'dead';
  }

  private lockedError(runId: string, row: LockRow): JournalError {
    const ageSeconds = Math.max(0, Math.round((this.settings.nowMs() - row.heartbeat_at_ms) / 1000));
    const staleSeconds = Math.round(this.settings.staleAfterMs / 1000);
    return new JournalError(
      'RUN_LOCKED',
      `Run ${runId} is being driven by another process (pid ${row.pid} on ${row.host}, ` +
        `since ${row.acquired_at}, last heartbeat ${ageSeconds}s ago).`,
      {
        runId,
        hint:
          `Wait for it to finish, or stop it (dynaflow cancel ${runId}, or kill ${row.pid} on ${row.host}) ` +
          `and then run \`dynaflow resume ${runId}\`. A killed driver's lock is taken over at once on the ` +
          `same host, and after ${staleSeconds}s without heartbeat from another host.`,
      },
    );
  }
}

class SqliteRunLock implements RunLock {
  readonly pid: number;
  readonly host: string;
  readonly tookOverFrom: LockHolder | null;
  private timer: NodeJS.Timeout | undefined;
  private state: 'held' | 'released' | 'lost' = 'held';

  constructor(
    private readonly owner: RunLocks,
    readonly runId: string,
    private readonly token: string,
    holder: LockHolder,
    readonly acquiredAt: string,
    previous: LockRow | undefined,
    private readonly onLost: (() => void) | undefined,
  ) {
    this.pid = holder.pid;
    this.host = holder.host;
    this.tookOverFrom = previous === undefined ? null : { pid: previous.pid, host: previous.host };
  }

  get held(): boolean {
    return this.state === 'held';
  }

  startHeartbeat(intervalMs: number): void {
    this.timer = setInterval(() => {
      try {
        this.heartbeat();
      } catch {
        // A busy or briefly unavailable database: the next beat tries again. Staleness is
        // measured in many intervals, so one missed beat does not lose the lock.
      }
    }, intervalMs);
    // The heartbeat alone must not keep a finished process alive.
    this.timer.unref();
  }

  heartbeat(): boolean {
    if (this.state !== 'held') return false;
    if (this.owner.refresh(this.runId, this.token)) return true;
    this.state = 'lost';
    this.stopTimer();
    this.owner.forget(this, this.runId, this.token);
    this.onLost?.();
    return false;
  }

  release(): void {
    if (this.state === 'released') return;
    const wasHeld = this.state === 'held';
    this.state = 'released';
    this.stopTimer();
    if (wasHeld) this.owner.forget(this, this.runId, this.token);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
