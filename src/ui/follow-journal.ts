/**
 * Watching a run from another process (`dynaflow monitor ID`): the journal is polled and the
 * monitor state rebuilt from it. Without a terminal, changes are printed as plain lines.
 */
import type { JournalStore, RunRecord } from '../journal/index.js';
import type { Clock } from '../scheduler/index.js';
import { monitorStateFromJournal } from './journal-state.js';
import { totals, type MonitorState } from './monitor-state.js';

export interface FollowOptions {
  readonly journal: JournalStore;
  readonly runId: string;
  readonly onState: (state: MonitorState) => void;
  readonly clock: Clock;
  /** Poll period. Default 500 ms. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

/** Reads the run's state now. */
export function snapshotRun(journal: JournalStore, runId: string): MonitorState {
  const run = journal.requireRun(runId);
  return monitorStateFromJournal(run, journal.listCalls(runId), journal.listEvents(runId));
}

export interface FollowEnd {
  readonly run: RunRecord;
  /** True when the run is still marked running but no live process drives it (it crashed). */
  readonly orphaned: boolean;
}

/**
 * Polls until the run is no longer `running`, nobody drives it any more, or `signal` aborts.
 * @example await followRun({ journal, runId, clock: systemClock, onState: (state) => paint(state) });
 */
export async function followRun(options: FollowOptions): Promise<FollowEnd> {
  let undriven = 0;
  for (;;) {
    const state = snapshotRun(options.journal, options.runId);
    options.onState(state);
    const run = options.journal.requireRun(options.runId);
    if (run.status !== 'running' || options.signal?.aborted) return { run, orphaned: false };
    // Two polls in a row without a driver: a just-started run has had time to take its lock.
    undriven = options.journal.lockHolder(options.runId) === null ? undriven + 1 : 0;
    if (undriven >= 2) return { run, orphaned: true };
    try {
      await options.clock.sleep(options.intervalMs ?? 500, options.signal);
    } catch {
      return { run: options.journal.requireRun(options.runId), orphaned: false };
    }
  }
}

/**
 * Turns successive states into progress lines (what the plain-line reporter prints for a run in
 * this process): phases entered, agents started and ended, narrator lines.
 */
export function createLineFollower(write: (line: string) => void): (state: MonitorState) => void {
  const seenPhases = new Set<string>();
  const seenAgents = new Map<string, string>();
  let logs = 0;
  let warnings = 0;
  let lastStatus: string | undefined;
  return (state) => {
    for (const phase of state.phases) {
      const active = phase.running + phase.done + phase.failed + phase.skipped + phase.interrupted > 0;
      if (active && !seenPhases.has(phase.title)) {
        seenPhases.add(phase.title);
        write(`▶ ${phase.title}`);
      }
    }
    for (const key of state.order) {
      const agent = state.agents.get(key)!;
      const before = seenAgents.get(key);
      if (before === agent.state) continue;
      seenAgents.set(key, agent.state);
      if (agent.state === 'running') write(`  … ${agent.label}${agent.model ? ` [${agent.model}]` : ''}`);
      else {
        const mark = agent.state === 'done' ? '✓' : agent.state === 'skipped' ? '–' : '✗';
        write(`  ${mark} ${agent.label} — ${agent.state}${agent.error ? `: ${agent.error}` : ''}`);
      }
    }
    for (const line of state.logs.slice(logs)) write(`  ${line}`);
    logs = state.logs.length;
    for (const line of state.warnings.slice(warnings)) write(`  warning: ${line}`);
    warnings = state.warnings.length;
    if (state.status !== lastStatus && state.status !== 'running') {
      const count = totals(state);
      write(
        `${state.status} ${state.runId ?? ''}: ${count.done} done, ${count.failed} failed, ${count.skipped} skipped, ${count.interrupted} interrupted`,
      );
    }
    lastStatus = state.status;
  };
}
