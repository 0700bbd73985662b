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

export async function replayCall(
  state: RunState,
  callKey: string,
  call: { readonly kind: CallKind; readonly label: string; readonly phase: string | null },
): Promise<ReplayResult> {
  const own = state.journaled.get(callKey);
  if (own && FINISHED.has(own.status)) return finish(state, own, call);
  const other = state.reusable.get(callKey);
  if (other && FINISHED.has(other.status)) {
    // Copy the completion into this run so that this run alone can be resumed and shown later.
    state.journal.startCall({
      runId: state.runId,
      callKey,
      kind: other.kind,
      label: call.label,
      phase: call.phase,
      model: other.model,
      prompt: other.prompt,
      optionsJson: other.optionsJson,
    });
    await state.journal.completeCall({
      runId: state.runId,
      callKey,
      status: other.status === 'skipped' ? 'skipped' : 'done',
      resultJson: other.resultJson,
      usage: other.usage,
      // Reused, not paid again: no attempt was made and nothing was spent in this run.
      costUsd: 0,
      attempts: 0,
      toolCalls: other.toolCalls,
      error: null,
      worktree: other.worktree,
      branch: other.branch,
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
