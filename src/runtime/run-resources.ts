/**
 * What a run holds open besides its journal: MCP connections and git worktrees. Released when the
 * run ends, whatever its status; a failure here is a warning, never a different run result.
 */
import type { MergeConflict } from '../workspace/index.js';
import type { AgentTooling } from './agent-tooling.js';
import type { RunState } from './run-state.js';

export function worktreeConflictWarning(runId: string, conflict: MergeConflict): string {
  const files = conflict.files.length > 0 ? conflict.files.join(', ') : 'unknown files';
  return (
    `merge conflict: agent "${conflict.label}" conflicts with dynaflow/${runId}/main in ${files}; ` +
    `its work is kept on branch ${conflict.branch} (merge it by hand: git merge ${conflict.branch})`
  );
}

export async function closeRunResources(
  state: RunState,
  tooling: AgentTooling | undefined,
  warn: (message: string) => void,
): Promise<void> {
  try {
    await state.transcripts?.close();
  } catch (error) {
    warn(`closing the transcripts file failed: ${(error as Error).message}`);
  }
  try {
    await tooling?.close();
  } catch (error) {
    warn(`closing MCP servers failed: ${(error as Error).message}`);
  }
  try {
    const report = await state.worktrees.close();
    if (report) {
      const integration = await state.worktrees.integrationBranch();
      const kept =
        report.keptBranches.length > 0
          ? `; kept branches with unmerged work: ${report.keptBranches.join(', ')}`
          : '';
      const message = `worktrees cleaned up; merged work is on ${integration ?? 'the integration branch'}${kept}`;
      state.journal.appendEvent(state.runId, 'log', message);
      state.emit({ type: 'log', message });
    }
  } catch (error) {
    warn(`cleaning up the run's worktrees failed (run \`dynaflow gc\`): ${(error as Error).message}`);
  }
  await state.journal.flush();
}
