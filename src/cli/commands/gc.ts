/**
 * `dynaflow gc` — removes what finished runs left in git: worktrees under `.dynaflow/worktrees/`
 * and agent branches already merged into their run's integration branch. Branches with unmerged
 * work or conflicts are kept and listed; runs still marked running are left alone.
 */
import { EXIT } from '../../errors/index.js';
import { openJournal, resolveStateDir } from '../../journal/index.js';
import { gcWorkspaces } from '../../workspace/index.js';
import type { CliIo } from '../context.js';

export interface GcFlags {
  readonly stateDir?: string;
  /** Also clean runs the journal still marks as running (a driver that was killed). */
  readonly all?: boolean;
}

export async function gcCommand(io: CliIo, projectRoot: string, flags: GcFlags): Promise<number> {
  const journal = openJournal({ stateDir: resolveStateDir(projectRoot, flags.stateDir) });
  let active: string[];
  try {
    active = flags.all
      ? []
      : journal
          .listRuns()
          .filter((run) => run.status === 'running')
          .map((run) => run.id);
  } finally {
    journal.close();
  }
  const report = await gcWorkspaces(projectRoot, { activeRunIds: active });
  io.stderr(
    `gc: ${report.runs.length} run(s), ${report.removedWorktrees.length} worktree(s) removed, ` +
      `${report.deletedBranches.length} merged branch(es) deleted`,
  );
  for (const branch of report.keptBranches) io.stderr(`kept ${branch} (unmerged work or a conflict)`);
  if (active.length > 0)
    io.stderr(`left alone (still running): ${active.join(', ')}; use --all after a crash`);
  return EXIT.done;
}
