/**
 * Merges one commit into a branch without touching any working tree: `git merge-tree
 * --write-tree` computes the merged tree in the object database, `commit-tree` makes the merge
 * commit, and `update-ref` moves the branch only if nobody moved it meanwhile.
 */
import { COMMIT_IDENTITY, git, isAncestor } from './git.js';

export type MergeOutcome =
  | { readonly kind: 'merged'; readonly tip: string; readonly fastForward: boolean }
  | { readonly kind: 'already-merged'; readonly tip: string }
  | { readonly kind: 'conflict'; readonly files: readonly string[] };

export async function mergeInto(
  gitRoot: string,
  branchRef: string,
  currentTip: string,
  commit: string,
  message: string,
): Promise<MergeOutcome> {
  if (await isAncestor(gitRoot, commit, currentTip)) return { kind: 'already-merged', tip: currentTip };
  if (await isAncestor(gitRoot, currentTip, commit)) {
    await git(gitRoot, ['update-ref', '-m', message, branchRef, commit, currentTip]);
    return { kind: 'merged', tip: commit, fastForward: true };
  }
  const merge = await git(
    gitRoot,
    ['merge-tree', '--write-tree', '--name-only', '--no-messages', currentTip, commit],
    [1],
  );
  const [tree = '', ...rest] = merge.stdout.split('\n');
  if (merge.code === 1) {
    const blank = rest.indexOf('');
    const files = (blank === -1 ? rest : rest.slice(0, blank)).filter(Boolean);
    return { kind: 'conflict', files: [...new Set(files)] };
  }
  const created = await git(gitRoot, [
    ...COMMIT_IDENTITY,
    'commit-tree',
    tree.trim(),
    '-p',
    currentTip,
    '-p',
    commit,
    '-m',
    message,
  ]);
  const tip = created.stdout.trim();
  await git(gitRoot, ['update-ref', '-m', message, branchRef, tip, currentTip]);
  return { kind: 'merged', tip, fastForward: false };
}
