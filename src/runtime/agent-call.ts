/**
 * One `agent()` call, from identity to journaled completion:
 * identify → replay if journaled → wait for a slot → run the agent loop → commit → return.
 */
import { semanticsOf, type DynaflowError } from '../errors/index.js';
import {
  cacheablePrefix,
  estimatePromptTokens,
  runAgent,
  STRUCTURED_OUTPUT_TOOL,
  type AgentOutcome,
  type CacheablePrefix,
} from '../agent/index.js';
import {
  addUsage,
  estimateCostUsd,
  ZERO_USAGE,
  type ModelRequest,
  type ModelResponse,
  type RateLimitInfo,
  type SendOptions,
  type Usage,
} from '../providers/index.js';
import type { QuotaWindow } from '../scheduler/index.js';
import type { JsonValue } from '../sandbox/index.js';
import { behaviourOptions, type AgentCallOptions } from './agent-options.js';
import { callHash } from './call-identity.js';
import { mayReplay, replayCall } from './replay.js';
import { haltsRun } from './run-halt.js';
import { saveTranscript } from './transcripts.js';
import { keepFailedWorktree, settleWorktree } from './worktree-isolation.js';
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
  // Before any wait: when a fan-out's agents reach their first request, the index knows its siblings.
  state.promptPrefixes.remember(call.prompt);
  // A fresh run has nothing to replay: skipping the lookup spares every queued call an async
  // frame and a few ticks (all calls skip it alike, so they still reach their slot in order).
  if (mayReplay(state)) {
    const replayed = await replayCall(state, callKey, { kind: 'agent', label, phase: call.phase });
    if (replayed.found) return replayed.value;
  }

  const release = await state.scheduler.slots.acquire(call.priority, state.signal);
  const controller = new AbortController();
  const stopWith = (): void => controller.abort(state.signal.reason);
  state.signal.addEventListener('abort', stopWith, { once: true });
  // The run may have stopped between the slot's grant and this line: then the agent never sends.
  if (state.signal.aborted) stopWith();
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
    const sending: AgentSending = {
      state,
      model: call.model,
      callKey,
      controller,
      countAttempt: () => {
        attempts += 1;
      },
      prefix: undefined,
    };
    const promptPrefixLength = state.promptPrefixes.sharedPrefixLength(call.prompt);
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
        ...(promptPrefixLength > 0 ? { promptPrefixLength } : {}),
        label,
      },
      {
        signal: controller.signal,
        workspace,
        redact: state.maskKnownSecrets,
        send: async (request: ModelRequest, sendOptions) => {
          const response = await sendModelRequest(sending, request, sendOptions);
          spent = addUsage(spent, response.usage);
          return response;
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
    // Missing credentials fail every agent alike: stop the run now (before the status below, so
    // this agent too is journaled as interrupted and a resume runs it again).
    if (!outcome.ok && haltsRun(outcome.error)) state.halt(outcome.error);
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
    // A failed agent's changes would go with its worktree at cleanup; an interrupted one re-runs.
    const keptNote =
      isolated && status === 'failed' ? await keepFailedWorktree(state.worktrees, isolated, call.warn) : '';
    const error = outcome.ok
      ? (merge?.note ?? null)
      : `${outcome.error.code}: ${outcome.error.message}${keptNote}`;
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
      error,
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
      error,
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
    // An agent stopped because the run is ending (cancel, halt) throws: the script must not go on
    // with a null that a resume would replace.
    if (!outcome.ok && status === 'interrupted' && state.signal.aborted) throw outcome.error;
    return value;
  } finally {
    state.inFlight.delete(controller);
    unregister?.();
    state.signal.removeEventListener('abort', stopWith);
    release();
  }
}

/** Stopped by a ceiling, a cancel or a halt rather than failed on its own: resume must run it again. */
function interruptedBy(error: DynaflowError, state: RunState): boolean {
  return state.signal.aborted || semanticsOf(error.code).interruptsCall;
}

function defaultLabel(prompt: string): string {
  const firstLine = prompt.split('\n', 1)[0] ?? '';
  return firstLine.length > 40 ? `${firstLine.slice(0, 39)}…` : firstLine || 'agent';
}

/** What the send path of one agent needs; `prefix` is computed at its first request. */
interface AgentSending {
  readonly state: RunState;
  readonly model: string;
  readonly callKey: string;
  readonly controller: AbortController;
  readonly countAttempt: () => void;
  prefix: CacheablePrefix | null | undefined;
}

/**
 * One model request of an agent: cache warming → budget reservation → retries and adaptive
 * concurrency (scheduler.send) → rate-limit quota → provider. A request whose cacheable prefix is
 * being written by another agent waits (≤ 5 s) until that response has begun, then reads it.
 */
async function sendModelRequest(
  sending: AgentSending,
  request: ModelRequest,
  sendOptions: SendOptions,
): Promise<ModelResponse> {
  const { state, controller } = sending;
  const signal = controller.signal;
  // The prefix (tools, system, shared prompt part) is the same on every turn of an agent.
  if (sending.prefix === undefined) sending.prefix = cacheablePrefix(request) ?? null;
  const ticket =
    sending.prefix === null ? undefined : await state.scheduler.cacheWarmer.enter(sending.prefix.key, signal);
  let started = false;
  const markStarted = (): void => {
    if (started) return;
    started = true;
    ticket?.started();
  };
  try {
    const reservation = await state.scheduler.budget.reserveWhenAvailable(request.maxTokens, signal);
    let outputTokens = 0;
    // Only a request in flight is stopped when a ceiling is reached: an answer that already
    // arrived (perhaps the one that reached the ceiling) is kept.
    state.inFlight.add(controller);
    try {
      const toSend = { ...request, maxTokens: reservation.maxTokens };
      const options: SendOptions =
        ticket?.writes === true
          ? {
              ...sendOptions,
              onEvent: (event) => {
                if (event.type === 'response-start') markStarted();
                sendOptions.onEvent?.(event);
              },
            }
          : sendOptions;
      const sent = await state.scheduler.send(() => sendWithinQuota(state, toSend, options, signal), {
        signal,
        onAttempt: sending.countAttempt,
        onRetry: ({ attempt, delayMs }) =>
          state.emit({ type: 'agent-retry', callKey: sending.callKey, attempt, delayMs }),
      });
      markStarted();
      outputTokens = sent.value.usage.outputTokens;
      state.inFlight.delete(controller);
      state.scheduler.cost.charge(estimateCostUsd(sending.model, sent.value.usage, state.provider.pricing));
      return sent.value;
    } finally {
      state.inFlight.delete(controller);
      state.scheduler.budget.settle(reservation, outputTokens);
    }
  } catch (error) {
    // The prefix was not written: the next agent held behind this one writes it instead.
    if (!started) ticket?.failed();
    throw error;
  }
}

const NO_TOKENS = { inputTokens: 0, outputTokens: 0 };

/**
 * One attempt within the provider's rate limits (settings `rateLimits`, `anthropic-ratelimit-*`
 * headers). Input is metered as the provider does: what is not read from cache.
 */
async function sendWithinQuota(
  state: RunState,
  request: ModelRequest,
  options: SendOptions,
  signal: AbortSignal,
): Promise<ModelResponse> {
  const quota = state.scheduler.quota;
  const estimate = quota.metered
    ? { inputTokens: estimatePromptTokens(request), outputTokens: request.maxTokens }
    : NO_TOKENS;
  const reservation = await quota.reserve(estimate, signal);
  try {
    const response = await state.provider.createMessage(request, options);
    reservation.settle({
      inputTokens: response.usage.inputTokens + response.usage.cacheCreationTokens,
      outputTokens: response.usage.outputTokens,
    });
    if (response.rateLimit !== undefined) quota.observe(quotaWindows(response.rateLimit));
    return response;
  } catch (error) {
    reservation.settle(undefined);
    throw error;
  }
}

function quotaWindows(info: RateLimitInfo): QuotaWindow[] {
  return [info.requests, info.tokens, info.inputTokens, info.outputTokens].filter(
    (window): window is QuotaWindow => window !== undefined,
  );
}
