/**
 * The planner: from a script (or a task) to an approvable plan — the rehearsal on the simulator,
 * the estimate of agents, tokens and cost, the plan card, remembered approvals, and the
 * `ultracode` planner agent that writes workflows.
 */
export { rehearse, RUN_MAX_TOKENS } from './rehearsal.js';
export type { Rehearsal, RehearsalRequest, RehearsedCall } from './rehearsal.js';
export { estimatePlan, outputRange, describeModel, NO_PHASE } from './estimate.js';
export type { PhaseEstimate, PlanEstimate, Range } from './estimate.js';
export { renderPlanCard, formatTokens, formatUsd } from './plan-card.js';
export type { PlanCardContext } from './plan-card.js';
export { isRemembered, rememberApproval, ultracodeEnabled, LOCAL_SETTINGS_FILE } from './approvals.js';
export { saveWorkflowCommand } from './save-workflow.js';
export type { SavedCommand } from './save-workflow.js';
export { planWorkflow, PLANNER_SCHEMA } from './ultracode.js';
export type { PlannedWorkflow, PlannerRequest } from './ultracode.js';
export { SCRIPT_API_REFERENCE } from './script-reference.js';
export { repoListing } from './repo-context.js';
export type { RepoListingOptions } from './repo-context.js';
