/**
 * The rehearsal behind the plan card: the script runs for real — same args, same seed, same
 * limits — but against a simulator started in this process, with a memory journal, stub tools and
 * a recording `exec()`. So the agents per phase are counted, not guessed, and prompt sizes are
 * those the agents would really send. No request reaches a real provider and nothing in the
 * project is read by an agent, written or run.
 */
import type { DynaflowError } from '../errors/index.js';
import { openMemoryJournal, type CallStatus, type RunLimits, type RunStatus } from '../journal/index.js';
import { createAnthropicProvider, type JsonSchema, type Usage } from '../providers/index.js';
import {
  resolveWorkflowReference,
  startRun,
  type AgentToolingFactory,
  type RunEvent,
  type WorkflowResolver,
} from '../runtime/index.js';
import type { JsonValue } from '../sandbox/index.js';
import type { LoadedScript } from '../script/index.js';
import type { SimBehaviour } from '../sim/index.js';
import {
  createScratchProject,
  instantClock,
  recordingCommandRunner,
  stubTooling,
  type RecordedCommand,
} from './internal/rehearsal-stubs.js';

/** The runtime's default `max_tokens` per model turn (what a real run sends unless told otherwise). */
export const RUN_MAX_TOKENS = 16_384;

export interface RehearsalRequest {
  readonly script: LoadedScript;
  readonly args: JsonValue | undefined;
  /** The real project: saved workflows are resolved here. Nothing in it is changed. */
  readonly projectRoot: string;
  /** The run's default model (alias or id). */
  readonly model?: string;
  readonly limits?: Partial<RunLimits>;
  /** Seed of the script's `Math.random()`; pass the real run's to rehearse the same sample. */
  readonly seed?: number;
  /** Seed of the simulator's answers. */
  readonly simSeed?: number;
  readonly maxTokens?: number;
  /**
   * The real run's tooling: tool definitions and project context are sent (and counted); no
   * tool runs. Leave MCP servers out of it (`createAgentTooling({ settings })` with none): a
   * rehearsal must not start them.
   */
  readonly tooling?: AgentToolingFactory;
  /** Answers other than the simulator's defaults (tests, the demo). */
  readonly behaviour?: SimBehaviour;
  readonly resolveWorkflow?: WorkflowResolver;
}

export interface RehearsedCall {
  readonly kind: 'agent' | 'exec';
  readonly label: string;
  readonly phase: string | null;
  /** Provider model id, for agents. */
  readonly model: string | null;
  readonly status: CallStatus;
  /** What the simulator counted: prompt (ceil(chars/4)) with its cache split, and its short answer. */
  readonly usage: Usage;
  readonly schema: JsonSchema | undefined;
  readonly worktree: boolean;
  /** The shell command, for `exec()`. */
  readonly command: string | undefined;
}

export interface Rehearsal {
  readonly status: RunStatus;
  /** Why the rehearsal stopped early (counts are then a lower bound). */
  readonly error: DynaflowError | undefined;
  readonly result: JsonValue | undefined;
  readonly calls: readonly RehearsedCall[];
  readonly commands: readonly RecordedCommand[];
  /** Phase titles in the order the script entered them. */
  readonly phases: readonly string[];
  readonly warnings: readonly string[];
  readonly logs: readonly string[];
  readonly maxTokens: number;
  readonly limits: Partial<RunLimits>;
  /** Requests the rehearsal's own simulator answered. */
  readonly simulatedRequests: number;
}

/**
 * @throws the run's `SCHEMA_TOO_LARGE` when an `agent()` schema the script did not catch is over
 * the size budget: the real run would fail the same way.
 * @example
 * const rehearsal = await rehearse({ script, args: { files }, projectRoot });
 * rehearsal.calls.filter((call) => call.kind === 'agent').length // agents the run would start
 */
export async function rehearse(request: RehearsalRequest): Promise<Rehearsal> {
  // The simulator loads with the first rehearsal, not with every CLI command that imports the planner.
  const { startSimulator } = await import('../sim/index.js');
  const sim = await startSimulator({
    port: 0,
    seed: request.simSeed ?? 0,
    ...(request.behaviour ? { behaviour: request.behaviour } : {}),
  });
  const provider = createAnthropicProvider({ apiKey: 'rehearsal', baseURL: sim.url, id: 'sim' });
  const journal = openMemoryJournal();
  const scratch = createScratchProject(/isolation/.test(request.script.text));
  const commands: RecordedCommand[] = [];
  const phases: string[] = [];
  const noteEvent = (event: RunEvent): void => {
    if (event.type === 'phase-start' && !phases.includes(event.title)) phases.push(event.title);
  };
  const maxTokens = request.maxTokens ?? RUN_MAX_TOKENS;
  try {
    const outcome = await startRun(
      {
        journal,
        provider,
        projectRoot: scratch.root,
        clock: instantClock,
        listener: noteEvent,
        ...(request.tooling ? { tooling: stubTooling(request.tooling, request.projectRoot) } : {}),
        runCommand: recordingCommandRunner(scratch.root, commands),
        resolveWorkflow:
          request.resolveWorkflow ??
          ((reference) => resolveWorkflowReference(reference, request.projectRoot)),
      },
      {
        script: request.script,
        args: request.args,
        maxTokens,
        ...(request.model ? { model: request.model } : {}),
        ...(request.limits ? { limits: request.limits } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
      },
    );
    // A schema no run could ever answer is the script's error, not a short plan: the plan fails (exit 2).
    if (outcome.error?.code === 'SCHEMA_TOO_LARGE') throw outcome.error;
    const events = journal.listEvents(outcome.runId);
    return {
      status: outcome.status,
      error: outcome.error,
      result: outcome.result,
      calls: journal.listCalls(outcome.runId).map(toRehearsedCall),
      commands,
      phases,
      warnings: events.filter((event) => event.kind === 'warning').map((event) => event.text),
      logs: events.filter((event) => event.kind === 'log').map((event) => event.text),
      maxTokens,
      limits: request.limits ?? {},
      simulatedRequests: sim.stats().requests,
    };
  } finally {
    journal.close();
    await provider.close?.();
    await sim.close();
    scratch.remove();
  }
}

function toRehearsedCall(call: {
  kind: 'agent' | 'exec';
  label: string;
  phase: string | null;
  model: string | null;
  status: CallStatus;
  usage: Usage;
  optionsJson: string;
  prompt: string;
}): RehearsedCall {
  const options = parseOptions(call.optionsJson);
  const schema = options['schema'];
  return {
    kind: call.kind,
    label: call.label,
    phase: call.phase,
    model: call.model,
    status: call.status,
    usage: call.usage,
    schema:
      schema && typeof schema === 'object' && !Array.isArray(schema) ? (schema as JsonSchema) : undefined,
    worktree: options['isolation'] === 'worktree',
    command: call.kind === 'exec' ? call.prompt : undefined,
  };
}

function parseOptions(json: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(json) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
