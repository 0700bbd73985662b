/**
 * `dynaflow cancel ID` — stops a run. The request is a status in the journal, so it reaches the
 * driving process wherever it runs: the driver polls its run's status, stops dispatching, records
 * in-flight agents as interrupted and exits 130. A run nobody drives is simply marked cancelled.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT } from '../../errors/index.js';
import { JOURNAL_FILE_NAME, openJournal, resolveStateDir } from '../../journal/index.js';
import type { CliIo } from '../context.js';

export interface CancelFlags {
  readonly stateDir?: string;
  /** How long to wait for a live driver to let go of the run (default 10 s; 0 = do not wait). */
  readonly waitMs?: number;
}

const DEFAULT_WAIT_MS = 10_000;
const POLL_MS = 100;

export async function cancelCommand(
  io: CliIo,
  projectRoot: string,
  runId: string,
  flags: CancelFlags,
): Promise<number> {
  const stateDir = resolveStateDir(projectRoot, flags.stateDir);
  // No journal yet: say RUN_NOT_FOUND without creating one.
  const journal = openJournal({ stateDir, readonly: !existsSync(path.join(stateDir, JOURNAL_FILE_NAME)) });
  try {
    const outcome = journal.cancelRun(journal.requireRun(runId).id);
    if (!outcome.changed) {
      io.stderr(`run ${runId} is already ${outcome.previous}; nothing to cancel`);
      return EXIT.done;
    }
    if (outcome.driver === null) {
      io.stderr(`cancelled ${runId} (it was ${outcome.previous}; no process was driving it)`);
      return EXIT.done;
    }
    const { pid, host } = outcome.driver;
    io.stderr(`cancelling ${runId}: asked its driver (pid ${pid} on ${host}) to stop`);
    const deadline = Date.now() + (flags.waitMs ?? DEFAULT_WAIT_MS);
    while (journal.lockHolder(runId) !== null) {
      if (Date.now() >= deadline) {
        io.stderr(
          `the driver has not stopped yet; it stops at its next status check (dynaflow show ${runId})`,
        );
        return EXIT.done;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    io.stderr(`cancelled ${runId}: its driver stopped (resume it with: dynaflow resume ${runId})`);
    return EXIT.done;
  } finally {
    journal.close();
  }
}
