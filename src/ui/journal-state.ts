/**
 * The monitor's state rebuilt from the journal, for `dynaflow monitor ID` in another terminal:
 * calls give the agents and their numbers, events give phases, log lines and warnings. The
 * journal records no tool-by-tool progress, so an attached monitor shows an agent's last sign of
 * life as its start.
 */
import type { CallRecord, RunEventRecord, RunRecord } from '../journal/index.js';
import { addUsage } from '../providers/index.js';
import { parseScript } from '../script/index.js';
import {
  createMonitorState,
  ensurePhase,
  NO_PHASE_TITLE,
  type AgentView,
  type MonitorState,
} from './monitor-state.js';

function time(iso: string | null | undefined, fallback: number): number {
  if (!iso) return fallback;
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? fallback : parsed;
}

function metaPhases(run: RunRecord): { title: string; detail?: string | undefined }[] {
  try {
    return parseScript(run.scriptText, run.scriptPath).meta.phases ?? [];
  } catch {
    return [];
  }
}

/**
 * @example
 * const state = monitorStateFromJournal(journal.requireRun(id), journal.listCalls(id), journal.listEvents(id));
 */
export function monitorStateFromJournal(
  run: RunRecord,
  calls: readonly CallRecord[],
  events: readonly RunEventRecord[],
  name?: string,
): MonitorState {
  const startedAt = time(run.createdAt, 0);
  const state = createMonitorState({
    name: name ?? scriptName(run),
    phases: metaPhases(run),
    budgetTokens: run.limits.budgetTokens,
    maxCostUsd: run.limits.maxCostUsd,
    startedAt,
  });
  state.runId = run.id;
  state.status = run.status;
  state.endedAt = run.status === 'running' ? undefined : time(run.updatedAt, startedAt);
  for (const event of events) {
    if (event.kind === 'phase') {
      ensurePhase(state, event.text);
      state.currentPhase = event.text;
    } else if (event.kind === 'log') state.logs.push(event.text);
    else state.warnings.push(event.text);
  }
  for (const call of calls) {
    const started = time(call.startedAt, startedAt);
    const agent: AgentView = {
      callKey: call.callKey,
      kind: call.kind,
      label: call.label,
      phase: call.phase,
      model: call.model,
      state: call.status,
      startedAt: started,
      endedAt: call.endedAt ? time(call.endedAt, started) : undefined,
      lastEventAt: call.endedAt ? time(call.endedAt, started) : started,
      usage: call.usage,
      costUsd: call.costUsd,
      toolCalls: call.toolCalls,
      lastTool: undefined,
      reused: false,
      error: call.error,
      transcript: call.status === 'running' ? '' : (call.resultJson ?? ''),
    };
    state.agents.set(call.callKey, agent);
    state.order.push(call.callKey);
    const phase = ensurePhase(state, call.phase ?? NO_PHASE_TITLE);
    if (call.status === 'running') phase.running += 1;
    else if (call.status === 'done') phase.done += 1;
    else if (call.status === 'failed') phase.failed += 1;
    else if (call.status === 'skipped') phase.skipped += 1;
    else phase.interrupted += 1;
    if (call.status !== 'running') {
      state.usage = addUsage(state.usage, call.usage);
      state.costUsd += call.costUsd;
    }
  }
  return state;
}

function scriptName(run: RunRecord): string {
  try {
    return parseScript(run.scriptText, run.scriptPath).meta.name;
  } catch {
    return run.scriptPath;
  }
}
