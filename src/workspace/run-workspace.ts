/**
 * One run's git workspace (SPEC §4): a base commit, an integration branch
 * `dynaflow/<run>/main`, and one worktree per `isolation: 'worktree'` agent on
 * `dynaflow/<run>/agents/<label>`. Finished agents are committed and merged, one at a time and
 * in completion order, into the integration branch. The user's checked-out branch, index and
 * working tree are never touched: merges happen in the object database only.
 */
import { access, appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import { ToolError, UsageError } from '../errors/index.js';
import { COMMIT_IDENTITY, git, resolveRef } from './internal/git.js';
import { mergeInto } from './internal/merge-into.js';
import { dedupeName, isValidRunId, sanitiseLabel } from './internal/names.js';
import { cleanupRunState, type CleanupReport } from './internal/run-cleanup.js';
import {
  agentBranchPrefix,
  baseRef,
  failedWorkBranch,
  integrationBranch,
  runWorktreesDirectory,
} from './internal/run-refs.js';
import { SerialQueue } from './internal/serial-queue.js';

export interface AgentWorktree {
  /** The label the script gave the agent. */
  readonly label: string;
  /** The sanitised, deduplicated name used for the branch and directory. Record it to reuse on resume. */
  readonly name: string;
  /** Absolute path of the worktree: the agent's workspace. */
  readonly path: string;
  readonly branch: string;
  readonly baseCommit: string;
  /** True when the branch already existed (an earlier attempt of the same run): reset it before reuse. */
  readonly reused: boolean;
}

export interface MergeConflict {
  readonly label: string;
  readonly branch: string;
  /** Files that conflicted, relative to the repository root. */
  readonly files: readonly string[];
}

export type FinishResult =
  | { readonly outcome: 'unchanged' }
  | { readonly outcome: 'merged'; readonly commit: string; readonly integrationCommit: string }
  | { readonly outcome: 'conflict'; readonly commit: string; readonly conflict: MergeConflict };

export interface RunWorkspaceOptions {
  /** Any directory inside the repository; the worktrees go under its top level's `.dynaflow/`. */
  readonly projectRoot: string;
  readonly runId: string;
  /** Called once per merge conflict, as it is found (the runtime journals and shows it). */
  readonly onConflict?: (conflict: MergeConflict) => void;
}

/**
 * Prepares a run's workspace: records the base commit (HEAD, or the one recorded by an earlier
 * attempt of the same run) and creates the integration branch at it.
 *
 * @example
 * const workspace = await createRunWorkspace({ projectRoot: process.cwd(), runId: 'wf_abc' });
 * const worktree = await workspace.createAgentWorktree({ label: 'fix:src/a.ts' });
 * // ... the agent works in worktree.path ...
 * const result = await workspace.finishAgentWorktree(worktree); // merged | conflict | unchanged
 */
export async function createRunWorkspace(options: RunWorkspaceOptions): Promise<RunWorkspace> {
  const { runId } = options;
  if (!isValidRunId(runId)) {
    throw new UsageError('WORKTREE_UNAVAILABLE', `The run id "${runId}" cannot name a git branch.`, {
      hint: 'Run ids are letters, digits, _ and - (like wf_abc123).',
    });
  }
  const located = await git(
    options.projectRoot,
    ['rev-parse', '--show-toplevel', '--git-common-dir'],
    [128],
  ).catch(() => undefined);
  const [topLevel, commonDirectory] = located?.code === 0 ? located.stdout.trim().split('\n') : [];
  if (!topLevel || !commonDirectory) {
    throw new UsageError(
      'WORKTREE_UNAVAILABLE',
      `${options.projectRoot} is not inside a git repository with a working tree.`,
      {
        hint: "isolation: 'worktree' needs git: run `git init` and make a first commit, or drop the isolation option.",
      },
    );
  }
  const gitRoot = topLevel;
  const recordedBase = await resolveRef(gitRoot, baseRef(runId));
  const baseCommit = recordedBase ?? (await resolveRef(gitRoot, 'HEAD'));
  if (baseCommit === undefined) {
    throw new UsageError(
      'WORKTREE_UNAVAILABLE',
      `The repository at ${gitRoot} has no commit yet, so there is nothing to branch from.`,
      {
        hint: 'Make a first commit (git add -A && git commit -m init), then run again.',
      },
    );
  }
  if (recordedBase === undefined) await git(gitRoot, ['update-ref', baseRef(runId), baseCommit]);
  const integrationRef = `refs/heads/${integrationBranch(runId)}`;
  const integrationTip = await resolveRef(gitRoot, integrationRef);
  if (integrationTip === undefined) {
    await git(gitRoot, [
      'update-ref',
      '-m',
      `dynaflow ${runId}: start`,
      integrationRef,
      baseCommit,
      '0'.repeat(40),
    ]).catch((error: unknown) => {
      throw new UsageError('WORKTREE_UNAVAILABLE', `Cannot create the branch ${integrationBranch(runId)}.`, {
        hint: 'A branch named "dynaflow" (or dynaflow/<run>) blocks it; rename that branch.',
        cause: error,
      });
    });
  }
  await excludeStateDirectory(path.resolve(options.projectRoot, commonDirectory));
  return new RunWorkspace(gitRoot, runId, baseCommit, integrationTip ?? baseCommit, options.onConflict);
}

export class RunWorkspace {
  readonly integrationBranch: string;
  private readonly names = new Set<string>();
  private readonly queue = new SerialQueue();
  /**
   * `git worktree add/remove/prune` read every worktree's admin directory under .git/worktrees/;
   * run concurrently, one can find another's half-written entry and die ("failed to read
   * .../commondir"). Those commands go one at a time; the costly checkout runs in parallel.
   */
  private readonly admin = new SerialQueue();
  private readonly conflictList: MergeConflict[] = [];

  /** @internal use {@link createRunWorkspace}. */
  constructor(
    readonly gitRoot: string,
    readonly runId: string,
    readonly baseCommit: string,
    private integrationTip: string,
    private readonly onConflict: ((conflict: MergeConflict) => void) | undefined,
  ) {
    this.integrationBranch = integrationBranch(runId);
  }

  /**
   * A worktree for one agent, on its own branch from the base commit. With `name` (recorded
   * from an earlier attempt) the same branch and directory are reused: an existing branch keeps
   * its commits, so work is never committed twice. Without it, the label is sanitised and
   * deduplicated within this process.
   */
  async createAgentWorktree(request: { label: string; name?: string }): Promise<AgentWorktree> {
    const name = request.name ?? dedupeName(sanitiseLabel(request.label), this.names);
    this.names.add(name);
    const worktree: AgentWorktree = {
      label: request.label,
      name,
      path: path.join(runWorktreesDirectory(this.gitRoot, this.runId), name),
      branch: `${agentBranchPrefix(this.runId)}${name}`,
      baseCommit: this.baseCommit,
      reused: false,
    };
    // The common case (a new agent): register without checkout (serialised, fast), then fill the
    // worktree from its own index (parallel). Reuse is sorted out only when registering fails.
    const created = await this.admin.run(() =>
      git(
        this.gitRoot,
        [
          'worktree',
          'add',
          '--quiet',
          '--no-checkout',
          '-b',
          worktree.branch,
          worktree.path,
          this.baseCommit,
        ],
        [128, 255],
      ),
    );
    if (created.code === 0) {
      await git(worktree.path, ['reset', '--hard', '--quiet']);
      return worktree;
    }
    await this.reuseWorktree(worktree, created.stderr);
    return { ...worktree, reused: true };
  }

  private async reuseWorktree(worktree: AgentWorktree, firstError: string): Promise<void> {
    const existing = await resolveRef(this.gitRoot, `refs/heads/${worktree.branch}`);
    if (existing === undefined) throw worktreeFailure(worktree, firstError);
    if (await isWorktreeOf(worktree.path)) return;
    // A directory left by a crash, no longer a working worktree: replace it.
    await rm(worktree.path, { recursive: true, force: true });
    const added = await this.admin.run(async () => {
      await git(this.gitRoot, ['worktree', 'prune']);
      return git(this.gitRoot, ['worktree', 'add', '--quiet', worktree.path, worktree.branch], [128, 255]);
    });
    if (added.code !== 0) throw worktreeFailure(worktree, added.stderr);
  }

  /**
   * Commits the agent's changes (if any) and merges them into the integration branch, after
   * the merges of agents that finished earlier. Unchanged agents leave nothing behind. The
   * worktree is removed either way; the branch stays when it holds work.
   */
  async finishAgentWorktree(worktree: AgentWorktree): Promise<FinishResult> {
    await git(worktree.path, ['add', '-A']);
    const committed = await git(
      worktree.path,
      [
        ...COMMIT_IDENTITY,
        'commit',
        '--quiet',
        '--no-verify',
        '-m',
        `dynaflow ${this.runId}: ${worktree.label}`,
      ],
      [1],
    );
    if (
      committed.code === 1 &&
      !/nothing (added )?to commit|working tree clean/.test(committed.stdout + committed.stderr)
    ) {
      throw worktreeFailure(worktree, committed.stderr || committed.stdout);
    }
    const head = (await git(worktree.path, ['rev-parse', 'HEAD'])).stdout.trim();
    await this.admin.run(() => git(this.gitRoot, ['worktree', 'remove', '--force', worktree.path], [128]));
    if (head === worktree.baseCommit) {
      await git(this.gitRoot, ['update-ref', '-d', `refs/heads/${worktree.branch}`, head]);
      return { outcome: 'unchanged' };
    }
    return this.queue.run(() => this.merge(worktree, head));
  }

  private async merge(worktree: AgentWorktree, commit: string): Promise<FinishResult> {
    const outcome = await mergeInto(
      this.gitRoot,
      `refs/heads/${this.integrationBranch}`,
      this.integrationTip,
      commit,
      `dynaflow ${this.runId}: merge ${worktree.label}`,
    );
    if (outcome.kind === 'conflict') {
      const conflict: MergeConflict = {
        label: worktree.label,
        branch: worktree.branch,
        files: outcome.files,
      };
      this.conflictList.push(conflict);
      this.onConflict?.(conflict);
      return { outcome: 'conflict', commit, conflict };
    }
    this.integrationTip = outcome.tip;
    return { outcome: 'merged', commit, integrationCommit: outcome.tip };
  }

  /**
   * Saves what a failed agent left in its worktree (committed or not) on
   * `dynaflow/<run>/failed/<name>` and cleans the worktree. Its own branch and the integration
   * branch are not touched, so a re-run starts where the failed attempt started. Returns the
   * branch, or undefined when the agent changed nothing.
   */
  async keepFailedWork(worktree: AgentWorktree): Promise<string | undefined> {
    await git(worktree.path, ['add', '-A']);
    const tree = (await git(worktree.path, ['write-tree'])).stdout.trim();
    const head = (await git(worktree.path, ['rev-parse', 'HEAD'])).stdout.trim();
    const headTree = (await git(worktree.path, ['rev-parse', 'HEAD^{tree}'])).stdout.trim();
    let kept: string | undefined;
    if (tree !== headTree || head !== worktree.baseCommit) {
      const commit =
        tree === headTree
          ? head
          : (
              await git(worktree.path, [
                ...COMMIT_IDENTITY,
                'commit-tree',
                tree,
                '-p',
                head,
                '-m',
                `dynaflow ${this.runId}: failed attempt of ${worktree.label}`,
              ])
            ).stdout.trim();
      kept = failedWorkBranch(this.runId, worktree.name);
      await git(this.gitRoot, ['update-ref', `refs/heads/${kept}`, commit]);
    }
    await git(worktree.path, ['reset', '--hard', '--quiet', 'HEAD']);
    await git(worktree.path, ['clean', '-fdx', '--quiet']);
    return kept;
  }

  /**
   * Throws away what an interrupted agent left uncommitted (changes and untracked files), so a
   * re-run starts clean. Commits already on the agent's branch stay: work that was committed is
   * never redone or committed twice. Re-creates the worktree if it is gone.
   */
  async resetAgentWorktree(worktree: AgentWorktree): Promise<void> {
    if (!(await isWorktreeOf(worktree.path)))
      await this.createAgentWorktree({ label: worktree.label, name: worktree.name });
    await git(worktree.path, ['reset', '--hard', '--quiet', 'HEAD']);
    await git(worktree.path, ['clean', '-fdx', '--quiet']);
  }

  /** Conflicts found so far, in merge order. */
  conflicts(): readonly MergeConflict[] {
    return [...this.conflictList];
  }

  /** Resolves when every merge queued so far is done. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Removes the run's worktrees and the agent branches whose work is merged. Keeps the
   * integration branch and every branch with unmerged work or a conflict.
   */
  async cleanupRun(): Promise<CleanupReport> {
    await this.idle();
    return this.admin.run(() => cleanupRunState(this.gitRoot, this.runId));
  }
}

/** A worktree directory is live when its `.git` file is there (git writes it last). */
async function isWorktreeOf(directory: string): Promise<boolean> {
  return access(path.join(directory, '.git')).then(
    () => true,
    () => false,
  );
}

/**
 * Worktrees live inside the project, under `.dynaflow/`. Excluding that directory through
 * `info/exclude` (not `.gitignore`, which is the user's file) keeps `git status` clean.
 */
async function excludeStateDirectory(commonDirectory: string): Promise<void> {
  const exclude = path.join(commonDirectory, 'info', 'exclude');
  const current = await readFile(exclude, 'utf8').catch(() => '');
  if (current.split('\n').some((line) => line.trim() === '/.dynaflow/' || line.trim() === '.dynaflow/'))
    return;
  await mkdir(path.dirname(exclude), { recursive: true });
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(exclude, `${separator}# dynaflow state (run journal, agent worktrees)\n/.dynaflow/\n`);
}

function worktreeFailure(worktree: AgentWorktree, detail: string): ToolError {
  return new ToolError(
    'WORKTREE_UNAVAILABLE',
    `Cannot prepare the worktree for "${worktree.label}" at ${worktree.path}: ${detail.trim()}`,
    {
      hint: 'Run `dynaflow gc` to remove stale worktrees, then try again.',
    },
  );
}
