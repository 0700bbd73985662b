/**
 * Everything one run (and its child workflows) shares: the journal, the scheduler with its
 * ceilings, the replay tables and the set of in-flight agents that a ceiling or a cancel stops.
 */
import type { DynaflowError } from '../errors/index.js';
import type { JournalStore } from '../journal/index.js';
import type { CallRecord } from '../journal/index.js';
import type { ModelProvider } from '../providers/index.js';
import type { Scheduler, Clock } from '../scheduler/index.js';
import type { AgentTool, SharedPrefixIndex } from '../agent/index.js';
import type { LoadedScript } from '../script/index.js';
import type { RunEventListener } from './events.js';
import type { RunControlHooks } from './run-control.js';
import type { TranscriptWriter } from './transcripts.js';
import type { WorktreeIsolation } from './worktree-isolation.js';

export interface ToolRequest {
  readonly workspace: string;
  readonly agentType: string | undefined;
  readonly warn: (message: string) => void;
}

/** What one agent gets: its tools and extra system text (project context, agent type prompt). */
export interface AgentEquipment {
  readonly tools: AgentTool[];
  readonly system?: string;
}

/** Builds the tool set of one agent (the tools subsystem plugs in here). */
export type ToolFactory = (request: ToolRequest) => AgentEquipment | Promise<AgentEquipment>;

/**
 * Runs one `exec()` command; returns what the script receives. The default is the shell runner
 * (`src/shell`) inside the run's OS sandbox (`shellCommandRunner`, exec-call.ts).
 */
export type CommandRunner = (request: {
  readonly command: string;
  readonly cwd: string;
  /** The directory the command may write: the project root. */
  readonly workspace: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Loads a child workflow for `workflow(nameOrRef)`. */
export type WorkflowResolver = (reference: string | { scriptPath: string }) => Promise<LoadedScript>;

export interface RunState {
  readonly runId: string;
  readonly journal: JournalStore;
  readonly provider: ModelProvider;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly projectRoot: string;
  /** The run's default model (alias or id). */
  readonly model: string;
  readonly maxTokens: number;
  readonly emit: RunEventListener;
  readonly tools: ToolFactory;
  readonly runCommand: CommandRunner;
  /** Throws PERMISSION_DENIED when settings forbid an `exec()` command. */
  readonly checkCommand: (command: string) => void | Promise<void>;
  /** The model an agent type's definition names, used when the call names none. */
  readonly agentTypeModel: (agentType: string | undefined) => Promise<string | undefined>;
  /** `isolation: 'worktree'`: the run's git worktrees and merge queue (created lazily). */
  readonly worktrees: WorktreeIsolation;
  /** Where agent transcripts go; absent when the run has no state directory (tests). */
  readonly transcripts: TranscriptWriter | undefined;
  readonly resolveWorkflow: WorkflowResolver;
  /** Completions recorded by earlier attempts of this run (resume). */
  readonly journaled: ReadonlyMap<string, CallRecord>;
  /** Completions of another run that this one may reuse (`--reuse`). */
  readonly reusable: ReadonlyMap<string, CallRecord>;
  /** Aborted when the run is cancelled or halted; every agent's own signal follows it. */
  readonly signal: AbortSignal;
  /**
   * Stops the whole run at once with `reason` as its final error, for a failure that every other
   * call would repeat (missing or refused credentials): in-flight agents are interrupted, queued
   * ones never send, and the run stays resumable. A no-op once the run is already stopping.
   */
  readonly halt: (reason: DynaflowError) => void;
  /** In-flight agents, stopped when a ceiling is reached. */
  readonly inFlight: Set<AbortController>;
  /** Calls not yet settled: a script that returns without awaiting them must not leave them behind. */
  readonly pending: Set<Promise<unknown>>;
  readonly counters: { reused: number; live: number };
  /** Recent prompts of the run, to find the prefix a fan-out repeats (sent as a cacheable block). */
  readonly promptPrefixes: SharedPrefixIndex;
  /**
   * Masks the known keys of this process (any encoding) in what goes back to a model or the
   * script. Built once per run: reading the environment per agent cost ~2 % of a 10k fan-out.
   */
  readonly maskKnownSecrets: (text: string) => string;
  /** Skip hooks of the monitor's run control, when one is attached. */
  readonly control?: RunControlHooks;
}
