/**
 * Counts runtimes whose disposal failed. QuickJS asserts at `JS_FreeRuntime` that no object is
 * still referenced; a failure means a handle leaked (our bug) or QuickJS itself leaked on an
 * error path. Either way the run's own instance is simply dropped, so a run's result never
 * depends on it; tests assert the count stays at zero for normal, throwing and cancelled runs.
 */
let failures = 0;

export function recordDisposeFailure(): void {
  failures += 1;
}

export function disposeFailureCount(): number {
  return failures;
}
