/**
 * What the monitor shows, as plain data: phases with their counts, every agent with its live
 * numbers, the narrator's lines and the run's totals. Fed by RunEvents (a run in this process)
 * or rebuilt from the journal (`dynaflow monitor ID`). No rendering and no clock here: times come
 * in with each event, so the state is easy to test.
 */
import type { AgentEndStatus, RunEvent } from '../runtime/index.js';
import { addUsage, estimateCostUsd, ZERO_USAGE, type Usage } from '../providers/index.js';

/** An agent silent this long is flagged as possibly stuck. */
export const DEFAULT_SILENCE_MS = 60_000;

export type AgentState = 'running' | AgentEndStatus;

export interface AgentView {
  readonly callKey: string;
  readonly kind: 'agent' | 'exec';
  label: string;
  phase: string | null;
  model: string | null;
  state: AgentState;
  startedAt: number;
  endedAt: number | undefined;
  /** Last sign of life (start, tool call, streamed text, turn end). */
  lastEventAt: number;
  usage: Usage;
  costUsd: number;
  toolCalls: number;
  lastTool: string | undefined;
  reused: boolean;
  error: string | null;
  /** The live transcript: streamed text and tool calls, capped to its tail. */
  transcript: string;
}

export interface PhaseView {
  readonly title: string;
  readonly detail: string | undefined;
  /** Agents the plan expects here (from the rehearsal), when known. */
  expected: number | undefined;
  done: number;
  running: number;
  failed: number;
  skipped: number;
  interrupted: number;
}

export interface MonitorState {
  runId: string | undefined;
  name: string;
  /** `starting`, then `running`, then the run's final status. */
  status: string;
  startedAt: number;
  endedAt: number | undefined;
  phases: PhaseView[];
  currentPhase: string | undefined;
  agents: Map<string, AgentView>;
  /** Call keys in start order. */
  order: string[];
  logs: string[];
  warnings: string[];
  usage: Usage;
  costUsd: number;
  reused: number;
  budgetTokens: number | null;
  maxCostUsd: number | null;
  /**
   * False when nothing will ever show an agent's live transcript (plain progress lines): the
   * text is then not kept, so a 10,000-agent run does not hold every answer in memory.
   */
  readonly keepTranscripts?: boolean;
}

export interface MonitorSetup {
  readonly name: string;
  readonly phases?: readonly { readonly title: string; readonly detail?: string | undefined }[];
  /** Agents per phase title expected by the plan. */
  readonly expected?: Readonly<Record<string, number>>;
  readonly budgetTokens?: number | null;
  readonly maxCostUsd?: number | null;
  readonly startedAt: number;
  /** Default true; see `MonitorState.keepTranscripts`. */
  readonly keepTranscripts?: boolean;
}

const TRANSCRIPT_LIMIT = 20_000;
const LOG_LIMIT = 200;
export const NO_PHASE_TITLE = '(no phase)';

/** @example const state = createMonitorState({ name: 'demo', startedAt: Date.now() }); */
export function createMonitorState(setup: MonitorSetup): MonitorState {
  const state: MonitorState = {
    runId: undefined,
    name: setup.name,
    status: 'starting',
    startedAt: setup.startedAt,
    endedAt: undefined,
    phases: [],
    currentPhase: undefined,
    agents: new Map(),
    order: [],
    logs: [],
    warnings: [],
    usage: ZERO_USAGE,
    costUsd: 0,
    reused: 0,
    budgetTokens: setup.budgetTokens ?? null,
    maxCostUsd: setup.maxCostUsd ?? null,
    ...(setup.keepTranscripts === false ? { keepTranscripts: false } : {}),
  };
  for (const phase of setup.phases ?? []) ensurePhase(state, phase.title, phase.detail);
  for (const [title, count] of Object.entries(setup.expected ?? {}))
    ensurePhase(state, title).expected = count;
  return state;
}

/** The phase titled `title`, added (in order of first sight) when the run has not shown it yet. */
export function ensurePhase(state: MonitorState, title: string, detail?: string): PhaseView {
  let phase = state.phases.find((candidate) => candidate.title === title);
  if (!phase) {
    phase = {
      title,
      detail,
      expected: undefined,
      done: 0,
      running: 0,
      failed: 0,
      skipped: 0,
      interrupted: 0,
    };
    state.phases.push(phase);
  }
  return phase;
}

function appendCapped(list: string[], line: string): void {
  list.push(line);
  if (list.length > LOG_LIMIT) list.splice(0, list.length - LOG_LIMIT);
}

function appendTranscript(state: MonitorState, agent: AgentView, text: string): void {
  if (state.keepTranscripts === false) return;
  agent.transcript += text;
  if (agent.transcript.length > TRANSCRIPT_LIMIT)
    agent.transcript = agent.transcript.slice(-TRANSCRIPT_LIMIT);
}

function countEnd(phase: PhaseView, status: AgentEndStatus): void {
  if (status === 'done') phase.done += 1;
  else if (status === 'failed') phase.failed += 1;
  else if (status === 'skipped') phase.skipped += 1;
  else phase.interrupted += 1;
}

/**
 * Applies one event at time `now` (ms). Mutates and returns `state`.
 * @example listener = (event) => applyRunEvent(state, event, Date.now());
 */
export function applyRunEvent(state: MonitorState, event: RunEvent, now: number): MonitorState {
  switch (event.type) {
    case 'run-start':
      state.runId = event.runId;
      state.name = event.name;
      state.status = 'running';
      break;
    case 'phase-start':
      ensurePhase(state, event.title);
      state.currentPhase = event.title;
      break;
    case 'log':
      appendCapped(state.logs, event.message);
      break;
    case 'warning':
      appendCapped(state.warnings, event.message);
      break;
    case 'agent-start': {
      const existing = state.agents.get(event.callKey);
      const agent: AgentView = {
        callKey: event.callKey,
        kind: event.kind,
        label: event.label,
        phase: event.phase,
        model: event.model,
        state: 'running',
        startedAt: now,
        endedAt: undefined,
        lastEventAt: now,
        usage: ZERO_USAGE,
        costUsd: 0,
        toolCalls: 0,
        lastTool: undefined,
        reused: false,
        error: null,
        transcript: existing?.transcript ?? '',
      };
      state.agents.set(event.callKey, agent);
      if (!existing) state.order.push(event.callKey);
      ensurePhase(state, event.phase ?? NO_PHASE_TITLE).running += 1;
      break;
    }
    case 'agent-tool': {
      const agent = state.agents.get(event.callKey);
      if (!agent) break;
      agent.toolCalls += 1;
      agent.lastTool = event.tool;
      agent.lastEventAt = now;
      appendTranscript(state, agent, `\n→ ${event.tool}\n`);
      break;
    }
    case 'agent-text': {
      const agent = state.agents.get(event.callKey);
      if (!agent) break;
      agent.lastEventAt = now;
      appendTranscript(state, agent, event.text);
      break;
    }
    case 'agent-turn': {
      const agent = state.agents.get(event.callKey);
      if (!agent) break;
      agent.lastEventAt = now;
      agent.usage = addUsage(agent.usage, event.usage);
      break;
    }
    case 'agent-retry': {
      const agent = state.agents.get(event.callKey);
      if (!agent) break;
      agent.lastEventAt = now;
      appendTranscript(state, agent, `\n↻ retry ${event.attempt} in ${Math.round(event.delayMs)} ms\n`);
      break;
    }
    case 'agent-end':
      endAgent(state, event, now);
      break;
    case 'run-end':
      state.status = event.status;
      state.endedAt = now;
      break;
  }
  return state;
}

function endAgent(state: MonitorState, event: Extract<RunEvent, { type: 'agent-end' }>, now: number): void {
  const phase = ensurePhase(state, event.phase ?? NO_PHASE_TITLE);
  let agent = state.agents.get(event.callKey);
  if (agent && agent.state === 'running') {
    phase.running = Math.max(0, phase.running - 1);
  }
  if (!agent) {
    // A call answered from the journal never "started": it appears already finished.
    agent = {
      callKey: event.callKey,
      kind: event.kind,
      label: event.label,
      phase: event.phase,
      model: null,
      state: event.status,
      startedAt: now,
      endedAt: now,
      lastEventAt: now,
      usage: ZERO_USAGE,
      costUsd: 0,
      toolCalls: 0,
      lastTool: undefined,
      reused: event.reused,
      error: event.error,
      transcript: '',
    };
    state.agents.set(event.callKey, agent);
    state.order.push(event.callKey);
  }
  agent.state = event.status;
  agent.endedAt = now;
  agent.lastEventAt = now;
  agent.reused = event.reused;
  agent.error = event.error;
  // The end event carries the agent's final usage; turns already added are replaced by it.
  agent.usage = event.usage;
  agent.costUsd = agent.model ? estimateCostUsd(agent.model, event.usage) : 0;
  if (event.reused) state.reused += 1;
  else {
    state.usage = addUsage(state.usage, event.usage);
    state.costUsd += agent.costUsd;
  }
  if (event.error) appendTranscript(state, agent, `\n✗ ${event.error}\n`);
  countEnd(phase, event.status);
}

/** Usage so far including agents still running (their finished turns). */
export function liveUsage(state: MonitorState): Usage {
  let usage = state.usage;
  for (const agent of state.agents.values())
    if (agent.state === 'running') usage = addUsage(usage, agent.usage);
  return usage;
}

export function runningAgents(state: MonitorState): AgentView[] {
  return state.order.map((key) => state.agents.get(key)!).filter((agent) => agent.state === 'running');
}

/** Running agents with no sign of life for `silenceMs`. */
export function stuckAgents(state: MonitorState, now: number, silenceMs: number): AgentView[] {
  return runningAgents(state).filter(
    (agent) => agent.kind === 'agent' && now - agent.lastEventAt >= silenceMs,
  );
}

export interface Totals {
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: number;
}

export function totals(state: MonitorState): Totals {
  const sum = { done: 0, running: 0, failed: 0, skipped: 0, interrupted: 0 };
  for (const phase of state.phases) {
    sum.done += phase.done;
    sum.running += phase.running;
    sum.failed += phase.failed;
    sum.skipped += phase.skipped;
    sum.interrupted += phase.interrupted;
  }
  return sum;
}
