export { startRun, resumeRun, DEFAULT_LIMITS, DEFAULT_MODEL } from './run-workflow.js';
export type { RunDependencies, RunRequest, ResumeRequest, RunOutcome } from './run-workflow.js';
export type { RunEvent, RunEventListener, AgentEndStatus } from './events.js';
export type { ToolFactory, CommandRunner, WorkflowResolver } from './run-state.js';
export { runShellCommand, scrubbedEnvironment } from './command-runner.js';
export { callHash, stableStringify } from './call-identity.js';
export {
  listSavedWorkflows,
  findSavedWorkflow,
  resolveWorkflowReference,
  workflowDirectories,
  BUILT_IN_WORKFLOWS,
} from './workflow-library.js';
export type { SavedWorkflow } from './workflow-library.js';
