/**
 * Journaled completions answer a call at once, with no provider request: those of this run
 * (resume) and those of the run named by `--reuse` (edit and re-run).
 */
import type { CallKind, CallRecord } from '../journal/index.js';
import type { JsonValue } from '../sandbox/index.js';
import type { RunState } from './run-state.js';

/** Statuses that count as finished: a resume never runs them again. */
const FINISHED = new Set(['done', 'skipped']);

export type ReplayResult = { readonly found: true; readonly value: JsonValue } | { readonly found: false };

/** False when the run has no journaled completions of its own nor any to reuse (a fresh run). */
export function mayReplay(state: RunState): boolean {
  return state.journaled.size > 0 || state.reusable.size > 0;
}

export async function replayCall(
  state: RunState,
  callKey: string,
  call: { readonly kind: CallKind; readonly label: string; readonly phase: string | null },
): Promise<ReplayResult> {
  const own = state.journaled.get(callKey);
  if (own && FINISHED.has(own.status)) {
    // What this run paid before it stopped counts against its ceilings again, so `--budget` and
    // `--max-cost` bound the whole run across resumes (calls reused from another run were not paid).
    if (own.reusedFrom === null) {
      state.scheduler.budget.record(own.usage.outputTokens);
      state.scheduler.cost.charge(own.costUsd);
    }
    return finish(state, own, call);
  }
  const other = state.reusable.get(callKey);
  if (other && FINISHED.has(other.status)) {
    // Copy the completion into this run so that this run alone can be resumed and shown later.
    // Reused, not paid again: the copy costs 0, has no attempt and names its source run. The
    // store copies the record itself (one write, no re-redaction of large results), durably
    // before the script sees the value.
    await state.journal.reuseCall({
      runId: state.runId,
      callKey,
      fromRunId: other.runId,
      // The same label is copied as it is (already redacted when first written).
      ...(call.label === other.label ? {} : { label: call.label }),
      phase: call.phase,
    });
    return finish(state, other, call);
  }
  return { found: false };
}

function finish(
  state: RunState,
  record: CallRecord,
  call: { readonly kind: CallKind; readonly label: string; readonly phase: string | null },
): ReplayResult {
  state.counters.reused += 1;
  state.emit({
    type: 'agent-end',
    callKey: record.callKey,
    kind: call.kind,
    label: call.label,
    phase: call.phase,
    status: record.status === 'skipped' ? 'skipped' : 'done',
    reused: true,
    usage: record.usage,
    error: null,
  });
  return {
    found: true,
    value: record.resultJson === null ? null : (JSON.parse(record.resultJson) as JsonValue),
  };
}
