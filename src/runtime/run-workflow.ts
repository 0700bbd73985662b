/**
 * Starts or resumes a run: journal record and lock, scheduler with its ceilings, the sandboxed
 * script with its host, and the final status. The data path is
 * script (sandbox) → host → scheduler → agent → provider, with the journal beside it.
 */
import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { DynaflowError, JournalError, LimitError, ScriptError, semanticsOf } from '../errors/index.js';
import type { CallRecord, JournalStore, RunLimits, RunRecord, RunStatus } from '../journal/index.js';
import { SharedPrefixIndex } from '../agent/index.js';
import { knownSecretMasker, secretValuesFromEnvironment } from '../environment/index.js';
import type { ModelProvider } from '../providers/index.js';
import { runInSandbox, type JsonValue, type SandboxLimits } from '../sandbox/index.js';
import {
  Scheduler,
  systemClock,
  type Clock,
  type ProviderRateLimits,
  type SchedulerStats,
} from '../scheduler/index.js';
import { parseScript, validateArgs, type LoadedScript } from '../script/index.js';
import { CommandSandbox, type OsSandboxMode } from '../shell/index.js';
import type { AgentToolingFactory } from './agent-tooling.js';
import { createRunHalt } from './run-halt.js';
import { closeRunResources, worktreeConflictWarning } from './run-resources.js';
import { TranscriptWriter } from './transcripts.js';
import { WorktreeIsolation } from './worktree-isolation.js';
import type { RunEventListener } from './events.js';
import type { RunControl } from './run-control.js';
import { watchOutsideRequests } from './outside-requests.js';
import type { CommandRunner, RunState, ToolFactory, WorkflowResolver } from './run-state.js';
import { ensureScriptUnchanged, resolveRunModels } from './run-preflight.js';
import { shellCommandRunner } from './exec-call.js';
import { createScriptHost } from './script-host.js';
import { finishScriptNotes } from './script-notes.js';
import { resolveWorkflowReference } from './workflow-library.js';
import { rootScope } from './workflow-scope.js';

export const DEFAULT_LIMITS: RunLimits = {
  concurrency: 16,
  maxAgents: 1000,
  budgetTokens: null,
  maxCostUsd: null,
};
export const DEFAULT_MODEL = 'sonnet';
const DEFAULT_MAX_TOKENS = 16_384;
const DEFAULT_CANCEL_POLL_MS = 1_000;

export interface RunDependencies {
  readonly journal: JournalStore;
  readonly provider: ModelProvider;
  readonly projectRoot: string;
  readonly clock?: Clock;
  readonly listener?: RunEventListener;
  readonly tools?: ToolFactory;
  readonly runCommand?: CommandRunner;
  readonly checkCommand?: (command: string) => void | Promise<void>;
  /**
   * Real agents: tools, permissions, agent types, project context and MCP servers from the
   * project's settings (`createAgentTooling()`). Without it (and without `tools`) agents get no tools.
   */
  readonly tooling?: AgentToolingFactory;
  /** The project's state directory (`.dynaflow`): agent transcripts go to `runs/<id>/transcripts.jsonl`. */
  readonly stateDir?: string;
  readonly resolveWorkflow?: WorkflowResolver;
  readonly sandboxLimits?: Partial<SandboxLimits>;
  /**
   * The OS sandbox of `exec()`, agents' `Bash` and stdio MCP servers (`src/shell`): `auto`
   * (default) where the machine has one, `off` for `--no-sandbox`; `networkAllow` lists the
   * hosts sandboxed commands may reach (settings `sandbox.network.allow`; default none).
   */
  readonly osSandbox?: { readonly mode: OsSandboxMode; readonly networkAllow?: readonly string[] };
  /** Pause/skip/cancel from outside (the monitor); see run-control.ts. */
  readonly control?: RunControl;
  /**
   * How often the driver reads its run's status to notice `dynaflow cancel` from another process
   * (default 1 s). A cancel is seen within one period.
   */
  readonly cancelPollMs?: number;
  /** Attempts per model request before an agent fails (default: the scheduler's, 8). */
  readonly maxAttempts?: number;
  /** This provider's limits from settings `rateLimits` (concurrency, tokens per minute). */
  readonly rateLimits?: ProviderRateLimits;
  /**
   * Hold agents that share a cacheable prompt prefix until the first one's response has begun
   * (default true; false sends them all at once, each writing the cache).
   */
  readonly cacheWarming?: boolean;
}

export interface RunRequest {
  readonly script: LoadedScript;
  readonly args: JsonValue | undefined;
  readonly model?: string;
  readonly limits?: Partial<RunLimits>;
  readonly reuseFrom?: string;
  readonly seed?: number;
  readonly maxTokens?: number;
  readonly signal?: AbortSignal;
}

export interface RunOutcome {
  readonly runId: string;
  readonly status: RunStatus;
  /** The script's return value (`null` when it returned nothing). */
  readonly result: JsonValue | undefined;
  readonly error: DynaflowError | undefined;
  /** Calls answered from the journal vs calls that really ran. */
  readonly reused: number;
  readonly live: number;
  /** The scheduler at the end: spend, congestion decreases, agents admitted. */
  readonly scheduler: SchedulerStats;
}

/**
 * Runs a workflow script to its end.
 * @example
 * const outcome = await startRun({ journal, provider, projectRoot }, { script, args: { files } });
 * if (outcome.status === 'done') console.log(outcome.result);
 */
export async function startRun(deps: RunDependencies, request: RunRequest): Promise<RunOutcome> {
  validateArgs(request.script.meta, request.args);
  resolveRunModels(deps.provider, request.model ?? DEFAULT_MODEL, request.script.meta);
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...request.limits };
  if (request.reuseFrom !== undefined) deps.journal.requireRun(request.reuseFrom);
  const run = deps.journal.createRun({
    scriptPath: request.script.path,
    scriptHash: request.script.hash,
    scriptText: request.script.text,
    argsJson: request.args === undefined ? null : JSON.stringify(request.args),
    provider: deps.provider.id,
    model: request.model ?? DEFAULT_MODEL,
    limits,
    seed: request.seed ?? randomInt(0, 2 ** 31),
    reuseFrom: request.reuseFrom ?? null,
  });
  const reusable = request.reuseFrom ? deps.journal.completedCalls(request.reuseFrom) : new Map();
  return drive(deps, run, request.script, {
    resumed: false,
    journaled: new Map(),
    reusable,
    maxTokens: request.maxTokens,
    signal: request.signal,
  });
}

export interface ResumeRequest {
  readonly runId: string;
  /** Raise ceilings when resuming a run that exhausted them. */
  readonly limits?: Partial<RunLimits>;
  readonly maxTokens?: number;
  readonly signal?: AbortSignal;
}

/** Re-executes a stopped run's script; journaled calls return at once, with no request. */
export async function resumeRun(deps: RunDependencies, request: ResumeRequest): Promise<RunOutcome> {
  const run = deps.journal.requireRun(request.runId);
  if (run.status === 'done') {
    throw new JournalError('RUN_NOT_RESUMABLE', `run ${run.id} already finished`, {
      runId: run.id,
      hint: `see its result with: dynaflow show ${run.id}`,
    });
  }
  ensureScriptUnchanged(run);
  const script = parseScript(run.scriptText, run.scriptPath);
  resolveRunModels(deps.provider, run.model, script.meta);
  const limits: RunLimits = { ...run.limits, ...request.limits };
  const journaled = deps.journal.completedCalls(run.id);
  const reusable = run.reuseFrom ? deps.journal.completedCalls(run.reuseFrom) : new Map<string, CallRecord>();
  return drive(deps, { ...run, limits }, script, {
    resumed: true,
    journaled,
    reusable,
    maxTokens: request.maxTokens,
    signal: request.signal,
  });
}

interface DriveOptions {
  readonly resumed: boolean;
  readonly journaled: ReadonlyMap<string, CallRecord>;
  readonly reusable: ReadonlyMap<string, CallRecord>;
  readonly maxTokens: number | undefined;
  readonly signal: AbortSignal | undefined;
}

async function drive(
  deps: RunDependencies,
  run: RunRecord,
  script: LoadedScript,
  options: DriveOptions,
): Promise<RunOutcome> {
  // Built before the lock: a bad network allow-list entry fails the run before it starts. Its
  // warning (no sandbox on this machine) goes to the run log once the run has one.
  const commandSandbox = createCommandSandbox(deps, (message) => runWarning(message));
  const lock = deps.journal.acquireLock(run.id);
  // Calls still marked running were in flight when the previous driver died: they run again.
  if (options.resumed) {
    deps.journal.interruptRunningCalls(run.id);
    deps.journal.updateRun(run.id, { limits: run.limits, status: 'running', error: null });
  }
  const cancel = new AbortController();
  const forwardAbort = (): void => cancel.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  if (options.signal?.aborted) forwardAbort();
  // Every in-flight agent listens to the run's signal; past 10 Node would warn of a leak.
  setMaxListeners(0, cancel.signal);
  // A credential failure halts the run through the same signal as a cancel (run-halt.ts).
  const halting = createRunHalt(run.id, cancel);
  const clock = deps.clock ?? systemClock;
  const scheduler = new Scheduler({
    concurrency: run.limits.concurrency,
    maxAgents: run.limits.maxAgents,
    budgetTokens: run.limits.budgetTokens,
    maxCostUsd: run.limits.maxCostUsd,
    clock,
    ...(deps.maxAttempts === undefined ? {} : { maxAttempts: deps.maxAttempts }),
    ...(deps.rateLimits === undefined ? {} : { rateLimits: deps.rateLimits }),
    ...(deps.cacheWarming === false ? { cacheWarmHoldMs: 0 } : {}),
  });
  const emit: RunEventListener = deps.listener ?? (() => {});
  const runWarning = (message: string): void => {
    deps.journal.appendEvent(run.id, 'warning', message);
    emit({ type: 'warning', message });
  };
  const tooling = deps.tooling?.({
    runId: run.id,
    projectRoot: deps.projectRoot,
    warn: runWarning,
    sandbox: commandSandbox,
  });
  const state: RunState = {
    runId: run.id,
    journal: deps.journal,
    provider: deps.provider,
    scheduler,
    clock,
    projectRoot: deps.projectRoot,
    model: run.model,
    maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
    emit,
    tools: deps.tools ?? (tooling ? (request) => tooling.equip(request) : () => ({ tools: [] })),
    runCommand: deps.runCommand ?? shellCommandRunner(commandSandbox),
    checkCommand: deps.checkCommand ?? (tooling ? (command) => tooling.checkCommand(command) : () => {}),
    agentTypeModel: tooling
      ? (agentType) => tooling.agentTypeModel(agentType)
      : () => Promise.resolve(undefined),
    worktrees: new WorktreeIsolation(deps.projectRoot, run.id, (conflict) =>
      runWarning(worktreeConflictWarning(run.id, conflict)),
    ),
    transcripts: deps.stateDir === undefined ? undefined : new TranscriptWriter(deps.stateDir, run.id),
    resolveWorkflow:
      deps.resolveWorkflow ?? ((reference) => resolveWorkflowReference(reference, deps.projectRoot)),
    journaled: options.journaled,
    reusable: options.reusable,
    signal: cancel.signal,
    halt: halting.halt,
    inFlight: new Set(),
    pending: new Set(),
    counters: { reused: 0, live: 0 },
    promptPrefixes: new SharedPrefixIndex(),
    maskKnownSecrets: knownSecretMasker(secretValuesFromEnvironment(process.env)),
    ...(deps.control
      ? {
          control: deps.control.bind({
            pause: () => scheduler.pause(),
            resume: () => scheduler.resume(),
            cancel: (reason) => cancel.abort(reason),
            queued: () => scheduler.slots.queued,
          }),
        }
      : {}),
  };
  // A hard ceiling: once reached, agents in flight are stopped too (they are journaled as
  // interrupted, so a resume with a higher ceiling runs them again).
  const stopInFlight = (reason: DynaflowError): void => {
    for (const controller of state.inFlight) controller.abort(reason);
  };
  scheduler.budget.onExhausted(() =>
    stopInFlight(
      new LimitError('BUDGET_EXHAUSTED', 'the output-token budget is spent', {
        hint: `Resume the run with a larger --budget (dynaflow resume ${run.id} --budget N).`,
      }),
    ),
  );
  scheduler.cost.onExhausted(() =>
    stopInFlight(
      new LimitError('COST_EXHAUSTED', 'the --max-cost ceiling is reached', {
        hint: `Resume the run with a higher --max-cost (dynaflow resume ${run.id} --max-cost USD).`,
      }),
    ),
  );

  // `dynaflow cancel` and a monitor attached from another terminal reach the driver through the
  // journal; it looks every second and stops as on Ctrl-C, or pauses and skips.
  let cancelledByRequest = false;
  const stopWatching = watchOutsideRequests({
    journal: deps.journal,
    runId: run.id,
    control: deps.control,
    intervalMs: deps.cancelPollMs ?? DEFAULT_CANCEL_POLL_MS,
    onCancel: () => {
      if (cancel.signal.aborted) return;
      cancelledByRequest = true;
      cancel.abort(
        new LimitError('RUN_CANCELLED', `run ${run.id} was cancelled`, {
          hint: `to continue it anyway: dynaflow resume ${run.id}`,
        }),
      );
    },
  });

  emit({ type: 'run-start', runId: run.id, name: script.meta.name, resumed: options.resumed });
  let status: RunStatus = 'failed';
  const outcome = (result: JsonValue | undefined, error: DynaflowError | undefined): RunOutcome => ({
    runId: run.id,
    status,
    result,
    error,
    ...state.counters,
    scheduler: scheduler.stats(),
  });
  try {
    const result = await runInSandbox({
      source: script.runnable,
      filename: script.path,
      args: parseArgs(run.argsJson),
      seed: run.seed,
      host: createScriptHost(state, rootScope(state, script, run.seed, deps.sandboxLimits)),
      signal: cancel.signal,
      ...(deps.sandboxLimits ? { limits: deps.sandboxLimits } : {}),
    });
    await settleAbandonedCalls(state, cancel);
    await deps.journal.flush();
    status = 'done';
    deps.journal.updateRun(run.id, { status, resultJson: JSON.stringify(result ?? null), error: null });
    return outcome(result ?? null, undefined);
  } catch (caught) {
    // The sandbox reports any abort as RUN_CANCELLED; a halted run ends with the halt's own error.
    const error = halting.reason() ?? asDynaflowError(caught);
    await settleAbandonedCalls(state, cancel);
    await deps.journal.flush();
    // Whatever was still running when the script stopped is re-run by a resume.
    deps.journal.interruptRunningCalls(run.id);
    // How a run ends on each code is the error table's (ERROR_SEMANTICS): e.g. a halt is `failed`
    // for missing credentials and `exhausted` for an account out of credit; every one resumes.
    status = cancelledByRequest ? 'cancelled' : semanticsOf(error.code).runStatus;
    deps.journal.updateRun(run.id, { status, error: error.describe() });
    return outcome(undefined, error);
  } finally {
    stopWatching();
    options.signal?.removeEventListener('abort', forwardAbort);
    finishScriptNotes(state);
    await closeRunResources(state, tooling, runWarning);
    await commandSandbox.close();
    lock.release();
    emit({ type: 'run-end', runId: run.id, status });
  }
}

/**
 * One sandbox for every command of the run. The journal (`stateDir`) and the project's
 * `.dynaflow/` read as empty inside it: a command must not rewrite or read the run's record.
 */
function createCommandSandbox(deps: RunDependencies, warn: (message: string) => void): CommandSandbox {
  return new CommandSandbox({
    warn,
    mode: deps.osSandbox?.mode ?? 'auto',
    networkAllow: deps.osSandbox?.networkAllow ?? [],
    deniedPaths: [
      path.join(deps.projectRoot, '.dynaflow'),
      ...(deps.stateDir === undefined ? [] : [deps.stateDir]),
    ],
  });
}

/**
 * Agents the script started but never awaited are stopped once it ends (they are journaled as
 * interrupted), and waited for, so nothing runs on after the run's final status is written.
 */
async function settleAbandonedCalls(state: RunState, cancel: AbortController): Promise<void> {
  if (state.pending.size === 0) return;
  if (!cancel.signal.aborted) {
    cancel.abort(new LimitError('RUN_CANCELLED', 'the script ended before this call finished'));
  }
  await Promise.allSettled([...state.pending]);
}

function parseArgs(argsJson: string | null): JsonValue | undefined {
  return argsJson === null ? undefined : (JSON.parse(argsJson) as JsonValue);
}

function asDynaflowError(caught: unknown): DynaflowError {
  if (DynaflowError.isInstance(caught)) return caught;
  const message = caught instanceof Error ? caught.message : String(caught);
  return new ScriptError('SCRIPT_THREW', message, { cause: caught });
}
