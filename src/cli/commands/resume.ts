/** `dynaflow resume ID` — continue a stopped, failed or killed run. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE_NAME, openJournal, resolveStateDir } from '../../journal/index.js';
import { resumeRun } from '../../runtime/index.js';
import { limitsFromFlags, type CliIo } from '../context.js';
import { executeRun } from '../execute.js';

export interface ResumeFlags {
  readonly provider?: string;
  readonly budget?: number;
  readonly maxCost?: number;
  readonly concurrency?: number;
  readonly stateDir?: string;
  readonly quiet?: boolean;
}

export async function resumeCommand(
  io: CliIo,
  projectRoot: string,
  runId: string,
  flags: ResumeFlags,
): Promise<number> {
  ensureJournalExists(projectRoot, runId, flags.stateDir);
  const limits = limitsFromFlags(flags);
  return executeRun(
    {
      io,
      projectRoot,
      stateDir: flags.stateDir,
      providerFlag: (journal) => flags.provider ?? journal.requireRun(runId).provider,
      quiet: Boolean(flags.quiet),
    },
    (deps, signal) => resumeRun(deps, { runId, limits, signal }),
  );
}

/**
 * No journal at all: the run cannot exist. Say RUN_NOT_FOUND without creating an empty journal
 * (resuming an unknown run is an error, never a silent fresh start).
 */
function ensureJournalExists(projectRoot: string, runId: string, stateDirFlag: string | undefined): void {
  const stateDir = resolveStateDir(projectRoot, stateDirFlag);
  if (existsSync(path.join(stateDir, JOURNAL_FILE_NAME))) return;
  const journal = openJournal({ stateDir, readonly: true });
  try {
    journal.requireRun(runId);
  } finally {
    journal.close();
  }
}
