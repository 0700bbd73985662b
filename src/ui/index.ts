/**
 * The terminal UI: the live monitor (ink) for runs in this process, the same view attached to a
 * run in another process through the journal, and the monitor's state model, which is plain
 * data fed by RunEvents.
 */
export {
  DEFAULT_SILENCE_MS,
  createMonitorState,
  applyRunEvent,
  liveUsage,
  runningAgents,
  stuckAgents,
  totals,
  NO_PHASE_TITLE,
} from './monitor-state.js';
export type {
  AgentView,
  AgentState,
  MonitorSetup,
  MonitorState,
  PhaseView,
  Totals,
} from './monitor-state.js';
export { monitorFrame, selectedAgent, formatDuration, formatCount } from './monitor-frame.js';
export type { FrameLine, FrameOptions, MonitorView } from './monitor-frame.js';
/**
 * The ink monitor, loaded only when a terminal will show it: ink and React take longer to load
 * than a whole `--quiet` run of a small workflow.
 */
export async function loadLiveMonitor(): Promise<typeof import('./monitor-app.js').startLiveMonitor> {
  return (await import('./monitor-app.js')).startLiveMonitor;
}
export type { LiveMonitor, LiveMonitorOptions, MonitorActions } from './monitor-app.js';
export { monitorStateFromJournal } from './journal-state.js';
export { followRun, snapshotRun, createLineFollower } from './follow-journal.js';
export type { FollowEnd, FollowOptions } from './follow-journal.js';
