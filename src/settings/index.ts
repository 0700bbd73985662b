export { describeServer, loadSettings, settingsFiles } from './settings-loader.js';
export { parseSettingsFile } from './settings-file.js';
export type { ModelPriceSettings, PermissionRules, ProviderRateLimitSettings } from './settings-file.js';
export type {
  DynaflowSettings,
  LoadSettingsOptions,
  SandboxSettings,
  SettingsTrust,
} from './settings-loader.js';
export { PermissionPolicy, createPermissionPolicy, checkExecPermission } from './permission-policy.js';
export type { PermissionDecision } from './permission-policy.js';
export { isReadOnlyCommand } from './read-only-commands.js';
export type { ReadOnlyVerdict } from './read-only-commands.js';
export {
  BUILT_IN_AGENT_TYPES,
  EXPLORE,
  GENERAL_PURPOSE,
  isToolAllowedForAgentType,
  listAgentTypes,
  parseAgentFile,
  resolveAgentType,
} from './agent-types.js';
export type {
  AgentTypeDefinition,
  AgentTypeSources,
  RefusedAgentType,
  ResolvedAgentType,
} from './agent-types.js';
export {
  checkProjectTrust,
  listTrustedFolders,
  PROJECT_AGENT_DIRECTORIES,
  PROJECT_CONFIGURATION_FILES,
  revokeProjectTrust,
  trustProject,
  trustStoreFile,
} from './workspace-trust.js';
export { realFolder, writePrivateJsonFile } from './internal/home-records.js';
export type { ProjectTrust, TrustState } from './workspace-trust.js';
export {
  loadProjectContext,
  PROJECT_CONTEXT_FILE_LIMIT,
  PROJECT_CONTEXT_TOTAL_LIMIT,
} from './project-context.js';
export type { ProjectContext } from './project-context.js';
