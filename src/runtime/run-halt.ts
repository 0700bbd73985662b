/**
 * Halting a run: some failures are not the agent's own but the run's, and every later request
 * would repeat them (missing or refused credentials, an account out of credit or quota). The first
 * one stops the whole run at once,
 * through the same signal as a cancel, so in-flight agents are journaled as interrupted, queued
 * ones never send, and `dynaflow resume` runs them all once the cause is fixed.
 */
import { DynaflowError, ProviderError, semanticsOf } from '../errors/index.js';

/** True for an agent failure that halts the run instead of making `agent()` return null. */
export function haltsRun(error: DynaflowError): boolean {
  return semanticsOf(error.code).haltsRun;
}

export interface RunHalt {
  /** Stops the run with `reason` (the first halt wins; a no-op once the run is stopping). */
  readonly halt: (reason: DynaflowError) => void;
  /** The run's final error when it was halted: `reason`, its hint extended with the resume step. */
  readonly reason: () => DynaflowError | undefined;
}

/**
 * The halt switch of one run, over the run's own cancel controller.
 * @example
 * const halting = createRunHalt(run.id, cancel);
 * halting.halt(credentialError); // cancel.signal aborts with the credential error
 * const error = halting.reason() ?? caught; // the run's final error
 */
export function createRunHalt(runId: string, cancel: AbortController): RunHalt {
  let halted: DynaflowError | undefined;
  return {
    halt: (reason) => {
      // A cancel (Ctrl-C, `dynaflow cancel`) or an earlier halt already decides how the run ends.
      if (cancel.signal.aborted) return;
      // An exhausted account ends the run `exhausted`, for which the CLI prints the resume step itself.
      halted = semanticsOf(reason.code).runStatus === 'exhausted' ? reason : withResumeHint(runId, reason);
      cancel.abort(halted);
    },
    reason: () => halted,
  };
}

/**
 * The same error, code and message, whose hint also says how to go on: the run is `failed` (so
 * the CLI exits with the error's own code), yet nothing of it is lost.
 */
function withResumeHint(runId: string, reason: DynaflowError): DynaflowError {
  const resume = `then continue the run with: dynaflow resume ${runId}`;
  const hint = reason.hint === undefined ? resume : `${reason.hint.replace(/\.$/, '')}; ${resume}`;
  if (reason instanceof ProviderError) {
    return new ProviderError(reason.code, reason.message, {
      hint,
      cause: reason,
      ...(reason.status === undefined ? {} : { status: reason.status }),
    });
  }
  return new DynaflowError(reason.code, reason.message, { hint, cause: reason });
}
