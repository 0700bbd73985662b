/** `dynaflow gc`: removes the worktrees of finished runs and their merged branches. */
import { readdir } from 'node:fs/promises';

import { UsageError } from '../errors/index.js';
import { git } from './internal/git.js';
import { cleanupRunState, type CleanupReport } from './internal/run-cleanup.js';
import { baseRef, worktreesRoot } from './internal/run-refs.js';

export interface GcOptions {
  /** Runs still in progress: their worktrees are left alone. */
  readonly activeRunIds?: readonly string[];
}

export interface GcReport extends CleanupReport {
  readonly runs: readonly string[];
}

/**
 * @example
 * const report = await gcWorkspaces(projectRoot, { activeRunIds: ['wf_running'] });
 */
export async function gcWorkspaces(projectRoot: string, options: GcOptions = {}): Promise<GcReport> {
  const located = await git(projectRoot, ['rev-parse', '--show-toplevel'], [128]).catch(() => undefined);
  if (!located || located.code !== 0) {
    throw new UsageError('WORKTREE_UNAVAILABLE', `${projectRoot} is not inside a git repository.`, {
      hint: 'Run dynaflow gc from the project directory.',
    });
  }
  const gitRoot = located.stdout.trim();
  const active = new Set(options.activeRunIds ?? []);
  const fromDirectories = await readdir(worktreesRoot(gitRoot)).catch(() => [] as string[]);
  const refs = await git(gitRoot, [
    'for-each-ref',
    '--format=%(refname)',
    'refs/heads/dynaflow/',
    'refs/dynaflow/',
  ]);
  const fromRefs = refs.stdout
    .split('\n')
    .map((ref) => /^refs\/(?:heads\/)?dynaflow\/([^/]+)\//.exec(ref)?.[1])
    .filter((runId): runId is string => runId !== undefined);
  const runs = [...new Set([...fromDirectories, ...fromRefs])].filter((runId) => !active.has(runId)).sort();
  const report = {
    runs,
    removedWorktrees: [] as string[],
    deletedBranches: [] as string[],
    keptBranches: [] as string[],
  };
  for (const runId of runs) {
    const cleaned = await cleanupRunState(gitRoot, runId);
    report.removedWorktrees.push(...cleaned.removedWorktrees);
    report.deletedBranches.push(...cleaned.deletedBranches);
    report.keptBranches.push(...cleaned.keptBranches);
    // The recorded base only matters while some branch of the run may still be resumed or merged.
    if (cleaned.keptBranches.length === 0) await git(gitRoot, ['update-ref', '-d', baseRef(runId)]);
  }
  await git(gitRoot, ['worktree', 'prune']);
  return report;
}
