export { startRun, resumeRun, DEFAULT_LIMITS, DEFAULT_MODEL } from './run-workflow.js';
export type { RunDependencies, RunRequest, ResumeRequest, RunOutcome } from './run-workflow.js';
export type { RunEvent, RunEventListener, AgentEndStatus } from './events.js';
export type {
  AgentEquipment,
  ToolFactory,
  ToolRequest,
  CommandRunner,
  WorkflowResolver,
} from './run-state.js';
export { createAgentTooling } from './agent-tooling.js';
export type { AgentTooling, AgentToolingFactory, AgentToolingOptions } from './agent-tooling.js';
export { readTranscripts, transcriptsFile } from './transcripts.js';
export type { TranscriptHeader, TranscriptLine } from './transcripts.js';
export { worktreeName } from './worktree-isolation.js';
export { shellCommandRunner } from './exec-call.js';
export { createRunControl } from './run-control.js';
export type { RunControl, RunControlBinding, RunControlHooks } from './run-control.js';
export { callHash, stableStringify } from './call-identity.js';
export {
  listSavedWorkflows,
  findSavedWorkflow,
  resolveWorkflowReference,
  workflowDirectories,
  BUILT_IN_WORKFLOWS,
} from './workflow-library.js';
export type { SavedWorkflow, WorkflowLookup } from './workflow-library.js';
