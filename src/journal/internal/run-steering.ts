/**
 * Steering requests for a run's driver from other processes — `dynaflow monitor` attached from
 * another terminal pausing the run or skipping an agent. Kept in the `meta` table under
 * `steering:<run>` as one small JSON document, so no schema change was needed; the driver polls
 * it (with its cancel poll) and applies what changed.
 */
import type Database from 'better-sqlite3';

import { UsageError } from '../../errors/index.js';
import type { RunSteering, SteeringRequest } from '../journal-store.js';

const NOT_STEERED: RunSteering = { paused: false, skipped: [] };

const keyOf = (runId: string): string => `steering:${runId}`;

export class RunSteeringStore {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string]>;

  constructor(private readonly db: Database.Database) {
    this.select = db.prepare(`SELECT value FROM meta WHERE key = ?`);
    this.upsert = db.prepare(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
  }

  read(runId: string): RunSteering {
    const row = this.select.get(keyOf(runId));
    if (row === undefined) return NOT_STEERED;
    try {
      const parsed = JSON.parse(row.value) as Partial<RunSteering>;
      return {
        paused: parsed.paused === true,
        skipped: Array.isArray(parsed.skipped) ? parsed.skipped.filter((key) => typeof key === 'string') : [],
      };
    } catch {
      // Written only by this module; a damaged value steers nothing rather than failing the run.
      return NOT_STEERED;
    }
  }

  /** Read-modify-write in one immediate transaction: two monitors never lose each other's request. */
  request(runId: string, request: SteeringRequest): RunSteering {
    if (request.skip !== undefined && request.skip.length === 0) {
      throw new UsageError('USAGE', 'A skip request needs the call key of a running agent.');
    }
    return this.db
      .transaction((): RunSteering => {
        const current = this.read(runId);
        const next: RunSteering = {
          paused: request.paused ?? current.paused,
          skipped:
            request.skip === undefined || current.skipped.includes(request.skip)
              ? current.skipped
              : [...current.skipped, request.skip],
        };
        this.upsert.run(keyOf(runId), JSON.stringify(next));
        return next;
      })
      .immediate();
  }
}
