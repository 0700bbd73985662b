/**
 * One `agent()` call, from identity to journaled completion:
 * identify → replay if journaled → wait for a slot → run the agent loop → commit → return.
 */
import type { DynaflowError } from '../errors/index.js';
import { runAgent, STRUCTURED_OUTPUT_TOOL, type AgentOutcome } from '../agent/index.js';
import { addUsage, estimateCostUsd, ZERO_USAGE, type ModelRequest, type Usage } from '../providers/index.js';
import type { JsonValue } from '../sandbox/index.js';
import { behaviourOptions, type AgentCallOptions } from './agent-options.js';
import { callHash } from './call-identity.js';
import { replayCall } from './replay.js';
import { saveTranscript } from './transcripts.js';
import { settleWorktree } from './worktree-isolation.js';
import type { RunState } from './run-state.js';

export interface AgentCallRequest {
  readonly prompt: string;
  readonly options: AgentCallOptions;
  readonly phase: string | null;
  /** Provider model id, aliases already resolved. */
  readonly model: string;
  readonly priority: number;
  readonly keyOf: (hash: string) => string;
  readonly warn: (message: string) => void;
}

export async function runAgentCall(state: RunState, call: AgentCallRequest): Promise<JsonValue> {
  const callKey = call.keyOf(
    callHash({ kind: 'agent', prompt: call.prompt, ...behaviourOptions(call.options), model: call.model }),
  );
  const label = call.options.label ?? defaultLabel(call.prompt);
  const replayed = await replayCall(state, callKey, { kind: 'agent', label, phase: call.phase });
  if (replayed.found) return replayed.value;

  const release = await state.scheduler.slots.acquire(call.priority, state.signal);
  const controller = new AbortController();
  const stopWith = (): void => controller.abort(state.signal.reason);
  state.signal.addEventListener('abort', stopWith, { once: true });
  const unregister = state.control?.register(callKey, controller);
  try {
    // Before the call is journaled: a project without git makes agent() throw WORKTREE_UNAVAILABLE,
    // a broken settings file CONFIG_INVALID.
    const isolated =
      call.options.isolation === 'worktree' ? await state.worktrees.prepare(label, callKey) : undefined;
    const workspace = isolated?.workspace ?? state.projectRoot;
    const { tools, system } = await state.tools({
      workspace,
      agentType: call.options.agentType,
      warn: call.warn,
    });
    state.journal.startCall({
      runId: state.runId,
      callKey,
      kind: 'agent',
      label,
      phase: call.phase,
      model: call.model,
      prompt: call.prompt,
      optionsJson: JSON.stringify(call.options),
    });
    state.emit({ type: 'agent-start', callKey, kind: 'agent', label, phase: call.phase, model: call.model });
    let attempts = 0;
    let spent: Usage = ZERO_USAGE;
    const outcome: AgentOutcome = await runAgent(
      {
        prompt: call.prompt,
        model: call.model,
        tools,
        ...(system ? { system: [{ text: system, cache: true }] } : {}),
        ...(call.options.schema ? { schema: call.options.schema } : {}),
        ...(call.options.effort ? { effort: call.options.effort } : {}),
        ...(call.options.maxTurns ? { maxTurns: call.options.maxTurns } : {}),
        maxTokens: state.maxTokens,
        label,
      },
      {
        signal: controller.signal,
        workspace,
        send: async (request: ModelRequest, sendOptions) => {
          const reservation = await state.scheduler.budget.reserveWhenAvailable(
            request.maxTokens,
            controller.signal,
          );
          let outputTokens = 0;
          // Only a request in flight is stopped when a ceiling is reached: an answer that already
          // arrived (perhaps the one that reached the ceiling) is kept.
          state.inFlight.add(controller);
          try {
            const sent = await state.scheduler.send(
              () =>
                state.provider.createMessage({ ...request, maxTokens: reservation.maxTokens }, sendOptions),
              {
                signal: controller.signal,
                onAttempt: () => {
                  attempts += 1;
                },
                onRetry: ({ attempt, delayMs }) =>
                  state.emit({ type: 'agent-retry', callKey, attempt, delayMs }),
              },
            );
            outputTokens = sent.value.usage.outputTokens;
            spent = addUsage(spent, sent.value.usage);
            state.inFlight.delete(controller);
            state.scheduler.cost.charge(estimateCostUsd(call.model, sent.value.usage, state.provider.pricing));
            return sent.value;
          } finally {
            state.inFlight.delete(controller);
            state.scheduler.budget.settle(reservation, outputTokens);
          }
        },
        onEvent: (event) => {
          if (event.type === 'tool-call') state.emit({ type: 'agent-tool', callKey, tool: event.name });
          else if (event.type === 'turn-end')
            state.emit({ type: 'agent-turn', callKey, turn: event.turn, usage: event.usage });
          else if (event.type === 'model-stream' && event.event.type === 'text-delta')
            state.emit({ type: 'agent-text', callKey, text: event.event.text });
          else if (
            event.type === 'model-stream' &&
            event.event.type === 'tool-use-start' &&
            event.event.name === STRUCTURED_OUTPUT_TOOL
          )
            state.emit({ type: 'agent-text', callKey, text: '\n[writing its structured answer]\n' });
        },
      },
    );
    const usage = outcome.usage;
    // A skip from the monitor ends the agent like a failure (agent() returns null), recorded as such.
    const skipped = !outcome.ok && state.control?.wasSkipped(callKey) === true && !state.signal.aborted;
    const status = outcome.ok
      ? 'done'
      : skipped
        ? 'skipped'
        : interruptedBy(outcome.error, state)
          ? 'interrupted'
          : 'failed';
    const value: JsonValue = outcome.ok ? outcome.value : null;
    // Committed and merged before the completion is journaled: a crash in between re-runs the
    // agent on its kept branch, and the merge finds the work already there.
    const merge =
      isolated && outcome.ok ? await settleWorktree(state.worktrees, isolated, call.warn) : undefined;
    // The slot is free once the agent's work is done: journaling (batched with other agents'
    // completions) must not hold back the next agent.
    release();
    const journaled = state.journal.completeCall({
      runId: state.runId,
      callKey,
      status,
      resultJson: JSON.stringify(value),
      usage,
      costUsd: estimateCostUsd(call.model, usage, state.provider.pricing),
      attempts: Math.max(attempts, 1),
      toolCalls: outcome.toolCalls,
      error: outcome.ok ? (merge?.note ?? null) : `${outcome.error.code}: ${outcome.error.message}`,
      worktree: isolated?.worktree.name ?? null,
      branch: isolated?.worktree.branch ?? null,
    });
    const transcript = saveTranscript(state.transcripts, {
      runId: state.runId,
      callKey,
      label,
      status,
      model: call.model,
      workspace,
      worktree: isolated?.worktree.name ?? null,
      branch: isolated?.worktree.branch ?? null,
      error: outcome.ok ? (merge?.note ?? null) : `${outcome.error.code}: ${outcome.error.message}`,
      outcome,
      warn: call.warn,
    });
    await Promise.all([journaled, transcript]);
    state.counters.live += 1;
    state.emit({
      type: 'agent-end',
      callKey,
      kind: 'agent',
      label,
      phase: call.phase,
      status,
      reused: false,
      usage,
      error: outcome.ok ? null : outcome.error.message,
    });
    // SPEC: a schema agent that still fails validation after its repairs throws; every other
    // terminal failure makes agent() return null.
    if (!outcome.ok && outcome.error.code === 'STRUCTURED_OUTPUT_FAILED') throw outcome.error;
    if (!outcome.ok && outcome.error.code === 'RUN_CANCELLED' && state.signal.aborted) throw outcome.error;
    return value;
  } finally {
    state.inFlight.delete(controller);
    unregister?.();
    state.signal.removeEventListener('abort', stopWith);
    release();
  }
}

/** Stopped by a ceiling or a cancel rather than failed on its own: resume must run it again. */
function interruptedBy(error: DynaflowError, state: RunState): boolean {
  return (
    state.signal.aborted ||
    error.code === 'RUN_CANCELLED' ||
    error.code === 'BUDGET_EXHAUSTED' ||
    error.code === 'COST_EXHAUSTED'
  );
}

function defaultLabel(prompt: string): string {
  const firstLine = prompt.split('\n', 1)[0] ?? '';
  return firstLine.length > 40 ? `${firstLine.slice(0, 39)}…` : firstLine || 'agent';
}
