import { Script, createContext, type Context } from 'node:vm';

/**
 * A backstop for the CPU limit that does not depend on QuickJS. The interrupt handler only runs
 * while QuickJS executes bytecode; one long native operation (`String.prototype.includes` with a
 * long needle, `Array.prototype.sort()` on a million long strings, `indexOf` over a huge array)
 * never polls it and would block the host for minutes. Node's `vm` timeout arms a watchdog thread
 * that terminates V8 execution, wasm included, so such a slice is cut off all the same (the QuickJS
 * instance is left mid-operation and must be dropped, never touched again).
 */
let shared: { readonly context: Context; readonly script: Script } | undefined;

function runWithHardTimeout<T>(action: () => T, timeoutMs: number): T {
  shared ??= { context: createContext({ action: undefined }), script: new Script('action()') };
  const { context, script } = shared;
  context['action'] = action;
  try {
    return script.runInContext(context, { timeout: Math.max(1, Math.ceil(timeoutMs)) }) as T;
  } finally {
    context['action'] = undefined;
  }
}

/**
 * Whether `error` is the watchdog's termination of a `runWithHardTimeout` action. (Node makes that
 * error in the `vm` context's realm, so it is no `instanceof Error` here: test its code.)
 */
function isHardTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
  );
}

/**
 * One watchdog for a stretch of VM entries: stretches nested inside an armed one ride on it, so a
 * drain that enters the VM several times starts one watchdog thread, not one per entry.
 */
export class HardStop {
  private armed = false;

  /** Runs `work` with at most `allowedMs`; when the watchdog fires, calls `onStop` and returns undefined. */
  run<T>(work: () => T, allowedMs: number, onStop: () => void): T | undefined {
    if (this.armed) return work();
    this.armed = true;
    try {
      return runWithHardTimeout(work, allowedMs);
    } catch (error) {
      if (!isHardTimeout(error)) throw error;
      onStop();
      return undefined;
    } finally {
      this.armed = false;
    }
  }
}
