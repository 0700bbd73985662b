export { createRunWorkspace, RunWorkspace } from './run-workspace.js';
export type { AgentWorktree, FinishResult, MergeConflict, RunWorkspaceOptions } from './run-workspace.js';
export { gcWorkspaces } from './gc.js';
export type { GcOptions, GcReport } from './gc.js';
export type { CleanupReport } from './internal/run-cleanup.js';
export { sanitiseLabel } from './internal/names.js';
