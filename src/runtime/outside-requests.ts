/**
 * What other processes ask of a running run, through the journal: `dynaflow cancel` marks it
 * cancelled, and a monitor attached from another terminal asks to pause, resume or skip an agent
 * (`requestSteering`). The driver polls both; an unreadable or busy journal is simply read again
 * at the next poll, never taken for a request.
 */
import type { JournalStore, RunSteering } from '../journal/index.js';
import type { RunControl } from './run-control.js';

export interface OutsideRequestsWatch {
  readonly journal: JournalStore;
  readonly runId: string;
  /** Without a control (a run nobody steers), only cancellation is watched. */
  readonly control: RunControl | undefined;
  readonly intervalMs: number;
  readonly onCancel: () => void;
}

/** Starts polling; returns the function that stops it. */
export function watchOutsideRequests(watch: OutsideRequestsWatch): () => void {
  const steer = watch.control ? steeringApplier(watch.control) : undefined;
  const timer = setInterval(() => {
    if (steer) steer(readSteering(watch.journal, watch.runId));
    if (cancelRequested(watch.journal, watch.runId)) watch.onCancel();
  }, watch.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Applies what changed since the last poll: pause, resume, agents newly asked to be skipped. */
export function steeringApplier(control: RunControl): (steering: RunSteering | undefined) => void {
  let paused = false;
  const skipped = new Set<string>();
  return (steering) => {
    if (steering === undefined) return;
    if (steering.paused !== paused) {
      paused = steering.paused;
      if (paused) control.pause();
      else control.resume();
    }
    for (const callKey of steering.skipped) {
      if (skipped.has(callKey)) continue;
      skipped.add(callKey);
      control.skip(callKey);
    }
  };
}

function readSteering(journal: JournalStore, runId: string): RunSteering | undefined {
  try {
    return journal.readSteering(runId);
  } catch {
    return undefined;
  }
}

function cancelRequested(journal: JournalStore, runId: string): boolean {
  try {
    return journal.getRun(runId)?.status === 'cancelled';
  } catch {
    return false;
  }
}
