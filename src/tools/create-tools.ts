import type { AgentTool } from '../agent/types.js';
import {
  isReadOnlyCommand,
  isToolAllowedForAgentType,
  type AgentTypeDefinition,
  type PermissionPolicy,
} from '../settings/index.js';
import type { CommandSandbox } from '../shell/index.js';
import { createBashTool, type BashToolOptions } from './bash-tool.js';
import { createEditTool } from './edit-tool.js';
import { createGlobTool } from './glob-tool.js';
import { createGrepTool, type GrepToolOptions } from './grep-tool.js';
import { toolFailure } from './internal/tool-result.js';
import { createReadTool } from './read-tool.js';
import { createWriteTool } from './write-tool.js';

export interface CreateToolsOptions {
  /**
   * The agent's workspace (its worktree, or the project root). Tools confine paths to the
   * `workspace` of each call's ToolContext; this one stands in when a context gives none.
   */
  readonly workspace: string;
  readonly permissions: PermissionPolicy;
  readonly agentType: AgentTypeDefinition;
  readonly bash?: Omit<BashToolOptions, 'guard' | 'sandbox'>;
  /** The run's OS sandbox for `Bash` (`src/shell`); absent, commands run unsandboxed. */
  readonly sandbox?: CommandSandbox;
  readonly grep?: GrepToolOptions;
}

/**
 * The built-in tools an agent of this type gets, each behind the permission policy.
 *
 * @example
 * const tools = createTools({ workspace, permissions: createPermissionPolicy(settings.permissions), agentType: EXPLORE });
 */
export function createTools(options: CreateToolsOptions): AgentTool[] {
  const { agentType } = options;
  const guard = agentType.readOnly
    ? (command: string): string | undefined => {
        const verdict = isReadOnlyCommand(command);
        return verdict.readOnly
          ? undefined
          : `the ${agentType.name} agent may only run read-only commands: ${verdict.reason ?? 'not read-only'}`;
      }
    : undefined;
  const all = [
    createReadTool(),
    createWriteTool(),
    createEditTool(),
    createGlobTool(),
    createGrepTool(options.grep),
    createBashTool({
      ...options.bash,
      ...(guard ? { guard } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    }),
  ];
  return all
    .filter((tool) => isToolAllowedForAgentType(agentType, tool.definition.name, tool.readOnly))
    .map((tool) => withPermissions(tool, options.permissions, options.workspace));
}

/**
 * Puts a tool behind the permission policy: a refused call never runs and comes back to the
 * model as `PERMISSION_DENIED`. Exported so MCP tools get the same gate.
 */
export function withPermissions(
  tool: AgentTool,
  permissions: PermissionPolicy,
  defaultWorkspace?: string,
): AgentTool {
  return {
    definition: tool.definition,
    readOnly: tool.readOnly,
    async run(input, context) {
      const workspaceContext =
        context.workspace || !defaultWorkspace ? context : { ...context, workspace: defaultWorkspace };
      const decision = permissions.check(tool.definition.name, input, workspaceContext.workspace);
      if (!decision.allowed) {
        return toolFailure('PERMISSION_DENIED', `${decision.reason ?? 'refused by the permission rules'}.`);
      }
      try {
        return await tool.run(input, workspaceContext);
      } catch (error) {
        // Tools must not throw; if one does anyway, the model still gets an answer.
        return toolFailure('TOOL_FAILED', `${tool.definition.name} failed: ${(error as Error).message}`);
      }
    },
  };
}
