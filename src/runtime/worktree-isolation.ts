/**
 * `isolation: 'worktree'` for one run (SPEC §4): the run's git workspace is created at the first
 * worktree agent; each such agent works in its own worktree on `dynaflow/<run>/agents/<name>`,
 * and on success its changes are committed and merged (in completion order) into
 * `dynaflow/<run>/main`. The worktree name is derived from the label and the call key, so a
 * resumed run finds the same branch again and never commits an agent's work twice.
 */
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

import {
  createRunWorkspace,
  sanitiseLabel,
  type AgentWorktree,
  type CleanupReport,
  type FinishResult,
  type MergeConflict,
  type RunWorkspace,
} from '../workspace/index.js';

export interface IsolatedAgent {
  readonly worktree: AgentWorktree;
  /** Where the agent works: the worktree, or the project's subdirectory inside it. */
  readonly workspace: string;
}

/** `<sanitised label>-<6 hex of the call key>`: readable, unique per call, the same on resume. */
export function worktreeName(label: string, callKey: string): string {
  const digest = createHash('sha256').update(callKey).digest('hex').slice(0, 6);
  return `${sanitiseLabel(label)
    .slice(0, 50)
    .replace(/[.-]+$/, '')}-${digest}`;
}

export class WorktreeIsolation {
  private workspace: Promise<RunWorkspace> | undefined;

  constructor(
    private readonly projectRoot: string,
    private readonly runId: string,
    private readonly onConflict: (conflict: MergeConflict) => void,
  ) {}

  /**
   * A worktree for one agent call. One left by an earlier attempt of this run (the agent was in
   * flight when the run stopped) is reset: uncommitted changes go, commits already made stay.
   * Throws `WORKTREE_UNAVAILABLE` for a project that is not a git repository with a commit.
   */
  async prepare(label: string, callKey: string): Promise<IsolatedAgent> {
    const workspace = await this.runWorkspace();
    const worktree = await workspace.createAgentWorktree({ label, name: worktreeName(label, callKey) });
    if (worktree.reused) await workspace.resetAgentWorktree(worktree);
    const inside = path.relative(workspace.gitRoot, await realpath(this.projectRoot));
    return { worktree, workspace: inside ? path.join(worktree.path, inside) : worktree.path };
  }

  async finish(worktree: AgentWorktree): Promise<FinishResult> {
    return (await this.runWorkspace()).finishAgentWorktree(worktree);
  }

  /** A failed agent's work, kept on its own branch (see RunWorkspace.keepFailedWork). */
  async keepFailedWork(worktree: AgentWorktree): Promise<string | undefined> {
    return (await this.runWorkspace()).keepFailedWork(worktree);
  }

  /** The integration branch, once a worktree agent has run. */
  async integrationBranch(): Promise<string | undefined> {
    return this.workspace ? (await this.workspace).integrationBranch : undefined;
  }

  /** Run end: worktrees removed, merged branches deleted, branches with unmerged work kept. */
  async close(): Promise<CleanupReport | undefined> {
    if (!this.workspace) return undefined;
    const workspace = await this.workspace.catch(() => undefined);
    return workspace?.cleanupRun();
  }

  private runWorkspace(): Promise<RunWorkspace> {
    this.workspace ??= createRunWorkspace({
      projectRoot: this.projectRoot,
      runId: this.runId,
      onConflict: this.onConflict,
    });
    // A failure (not a git repository) is not cached as a rejected promise forever: the next
    // worktree agent gets the same clear error from a fresh attempt.
    this.workspace.catch(() => {
      this.workspace = undefined;
    });
    return this.workspace;
  }
}

/**
 * Commits and merges a finished agent's worktree. Returns the note for the call record: a
 * conflict (the run warning is given by the workspace's conflict hook) or a git failure. Either
 * way the agent's return value stands: its work is kept on its branch.
 */
export async function settleWorktree(
  worktrees: WorktreeIsolation,
  isolated: IsolatedAgent,
  warn: (message: string) => void,
): Promise<{ readonly note: string | null }> {
  const { worktree } = isolated;
  try {
    const result = await worktrees.finish(worktree);
    if (result.outcome !== 'conflict') return { note: null };
    const files = result.conflict.files.join(', ') || 'unknown files';
    return {
      note: `MERGE_CONFLICT: ${files} conflict with the integration branch; the work is kept on ${worktree.branch}`,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    warn(`the worktree of agent "${worktree.label}" could not be committed or merged: ${message}`);
    return { note: `WORKTREE_UNAVAILABLE: ${message}` };
  }
}

/**
 * Keeps what a failed worktree agent changed, for the user to look at; returns the note to add to
 * its error. A git failure here is only a warning: the agent has failed already.
 */
export async function keepFailedWorktree(
  worktrees: WorktreeIsolation,
  isolated: IsolatedAgent,
  warn: (message: string) => void,
): Promise<string> {
  try {
    const branch = await worktrees.keepFailedWork(isolated.worktree);
    return branch === undefined ? '' : ` (its changes are kept on ${branch})`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    warn(`the changes of failed agent "${isolated.worktree.label}" could not be kept: ${message}`);
    return '';
  }
}
