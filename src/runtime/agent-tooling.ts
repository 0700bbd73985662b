/**
 * What a real agent gets (SPEC §4): the built-in tools its type allows, the project's MCP tools,
 * each behind the permission rules of the settings files, and a system prompt carrying the
 * project's CLAUDE.md / AGENTS.md and the type's own instructions. `exec()` is held to the same
 * Bash rules. One `AgentTooling` per run: settings, agent types and MCP connections are loaded
 * once, on first use, and closed at run end.
 */
import { ToolError } from '../errors/index.js';
import type { AgentTool } from '../agent/index.js';
import { McpHub, parseMcpServers } from '../mcp/index.js';
import {
  checkExecPermission,
  createPermissionPolicy,
  isToolAllowedForAgentType,
  loadProjectContext,
  loadSettings,
  resolveAgentType,
  type DynaflowSettings,
  type PermissionPolicy,
  type ResolvedAgentType,
} from '../settings/index.js';
import type { CommandSandbox } from '../shell/index.js';
import { createTools, withPermissions } from '../tools/index.js';
import type { AgentEquipment, ToolRequest } from './run-state.js';

export interface AgentTooling {
  /** The model alias/id an agent type's definition names (frontmatter `model`), if any. */
  agentTypeModel(agentType: string | undefined): Promise<string | undefined>;
  /** Tools and extra system text of one agent working in `request.workspace`. */
  equip(request: ToolRequest): Promise<AgentEquipment>;
  /** Throws `PERMISSION_DENIED` when the Bash rules forbid an `exec()` command. */
  checkCommand(command: string): Promise<void>;
  /** Closes MCP connections. */
  close(): Promise<void>;
}

/** Builds one run's tooling; the runtime calls it at run start and closes it at run end. */
export type AgentToolingFactory = (run: {
  readonly runId: string;
  readonly projectRoot: string;
  /** A run-log warning (journal + monitor). */
  readonly warn: (message: string) => void;
  /** The run's OS sandbox: agents' `Bash` and stdio MCP servers run inside it. */
  readonly sandbox?: CommandSandbox;
}) => AgentTooling;

export interface AgentToolingOptions {
  /** Where personal settings and agent types are read (`~/.claude`, `~/.dynaflow`). Default: the OS home. */
  readonly homeDir?: string;
  /** Settings already loaded (the CLI has them); else read from the project at first use. */
  readonly settings?: DynaflowSettings;
}

/**
 * @example
 * const deps = { journal, provider, projectRoot, tooling: createAgentTooling() };
 * await startRun(deps, { script, args });
 */
export function createAgentTooling(options: AgentToolingOptions = {}): AgentToolingFactory {
  return (run) => new RunTooling(run.projectRoot, run.warn, options, run.sandbox);
}

interface Loaded {
  readonly settings: DynaflowSettings;
  readonly policy: PermissionPolicy;
  readonly context: string;
  readonly hub: McpHub | undefined;
}

class RunTooling implements AgentTooling {
  private loaded: Promise<Loaded> | undefined;
  private readonly types = new Map<string, Promise<ResolvedAgentType>>();
  private readonly warned = new Set<string>();
  /** Built-in tools of agents working in the project itself, per agent type. */
  private readonly builtIn = new Map<string, readonly AgentTool[]>();

  constructor(
    private readonly projectRoot: string,
    private readonly warn: (message: string) => void,
    private readonly options: AgentToolingOptions,
    private readonly sandbox: CommandSandbox | undefined,
  ) {}

  async agentTypeModel(agentType: string | undefined): Promise<string | undefined> {
    return (await this.resolve(agentType)).definition.model;
  }

  async equip(request: ToolRequest): Promise<AgentEquipment> {
    const { policy, context, hub } = await this.load();
    const { definition } = await this.resolve(request.agentType);
    // The built-in tools are stateless and depend only on the workspace and the agent type: a
    // 10,000-agent fan-out in the project builds them once instead of 10,000 times. Worktree
    // agents each have their own workspace, so theirs are not kept.
    const shared = request.workspace === this.projectRoot;
    let builtIn = shared ? this.builtIn.get(request.agentType ?? '') : undefined;
    if (!builtIn) {
      builtIn = createTools({
        workspace: request.workspace,
        permissions: policy,
        agentType: definition,
        ...(this.sandbox ? { sandbox: this.sandbox } : {}),
      });
      if (shared) this.builtIn.set(request.agentType ?? '', builtIn);
    }
    const tools: AgentTool[] = [...builtIn];
    if (hub) {
      for (const tool of await hub.tools()) {
        if (isToolAllowedForAgentType(definition, tool.definition.name, tool.readOnly)) {
          tools.push(withPermissions(tool, policy, request.workspace));
        }
      }
    }
    const system = [context, definition.systemPrompt].filter(Boolean).join('\n\n');
    return { tools, ...(system ? { system } : {}) };
  }

  async checkCommand(command: string): Promise<void> {
    const { policy } = await this.load();
    const decision = checkExecPermission(policy, command);
    if (!decision.allowed) {
      throw new ToolError(
        'PERMISSION_DENIED',
        `exec(${JSON.stringify(command)}) refused: ${decision.reason ?? 'denied'}`,
        {
          hint: 'exec() obeys the Bash rules of .dynaflow/settings.json and .claude/settings.json; change the rule or the command.',
        },
      );
    }
  }

  async close(): Promise<void> {
    const loaded = await this.loaded?.catch(() => undefined);
    await loaded?.hub?.close();
  }

  private load(): Promise<Loaded> {
    this.loaded ??= (async () => {
      const settings = this.options.settings ?? (await loadSettings(this.projectRoot, this.options.homeDir));
      const servers = parseMcpServers(settings.mcpServers);
      if (settings.trust.ignored.length > 0) {
        this.warn(
          `this folder is not trusted, so its own configuration did not take effect (run \`dynaflow trust\` to use it): ${settings.trust.ignored.join('; ')}`,
        );
      }
      for (const name of settings.unapprovedMcpServers) {
        this.warn(
          `MCP server "${name}" of .mcp.json is not approved, so it does not start: add ` +
            `"enabledMcpjsonServers": ["${name}"] (or "enableAllProjectMcpServers": true) to .claude/settings.local.json`,
        );
      }
      return {
        settings,
        policy: createPermissionPolicy(settings.permissions),
        context: (await loadProjectContext(this.projectRoot)).text,
        hub:
          servers.size > 0
            ? new McpHub(servers, {
                cwd: this.projectRoot,
                warn: this.warn,
                ...(this.sandbox ? { sandbox: this.sandbox } : {}),
              })
            : undefined,
      };
    })();
    return this.loaded;
  }

  /** Unknown types fall back to general-purpose; the run log says so once per name. */
  private async resolve(agentType: string | undefined): Promise<ResolvedAgentType> {
    const key = agentType ?? '';
    let resolved = this.types.get(key);
    if (!resolved) {
      // A project's own agent files count only in a trusted folder (settings/workspace-trust.ts).
      resolved = this.load().then(({ settings }) =>
        resolveAgentType(agentType, this.projectRoot, this.options.homeDir, {
          includeProject: settings.trust.trusted,
        }),
      );
      this.types.set(key, resolved);
    }
    const result = await resolved;
    if (result.warning && !this.warned.has(key)) {
      this.warned.add(key);
      this.warn(result.warning);
    }
    return result;
  }
}
