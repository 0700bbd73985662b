import { UsageError } from '../errors/index.js';
import { newIsolatedQuickJS } from './internal/quickjs-module.js';
import { SandboxSession } from './internal/sandbox-session.js';
import { cancelledError } from './internal/vm-errors.js';
import type { JsonValue, SandboxLimits, SandboxRunOptions } from './types.js';

/** 256 MiB of heap, 10 s of synchronous work between two awaits. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  memoryBytes: 256 * 1024 * 1024,
  cpuMsPerSlice: 10_000,
});

function resolveLimits(limits: Partial<SandboxLimits> | undefined): SandboxLimits {
  const merged = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new UsageError('USAGE', `sandbox limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  return merged;
}

/**
 * Runs a workflow script in its own QuickJS instance and resolves to its top-level `return` value
 * (`undefined` when it returns nothing). The script sees only the globals of SPEC §1 (`agent`,
 * `parallel`, `pipeline`, `phase`, `log`, `args`, `budget`, `workflow`, `exec`, `meta`); every
 * effect goes through `options.host`. Nothing of the host process (no `process`, `require`,
 * module loader, timers, network or clock) exists inside.
 *
 * Rejects with a `DynaflowError`: the host's own error when the script let a host rejection
 * escape (e.g. `BUDGET_EXHAUSTED`), `ScriptError` `SCRIPT_THREW` (with `location`) for the script's
 * own throw, `SCRIPT_SYNTAX`, `SANDBOX_CPU_LIMIT`, `SANDBOX_MEMORY_LIMIT`, `NONDETERMINISM`, and
 * `LimitError` `TOO_MANY_ITEMS` / `RUN_CANCELLED`.
 *
 * @example
 * const result = await runInSandbox({
 *   source: 'const r = await agent("Say hi"); return { r }',
 *   filename: 'hello.workflow.js',
 *   args: undefined,
 *   seed: 1,
 *   host, // a ScriptHost: agent/exec/workflow/phase/log/warn/budget
 * });
 */
export async function runInSandbox(options: SandboxRunOptions): Promise<JsonValue | undefined> {
  const limits = resolveLimits(options.limits);
  if (options.signal?.aborted) throw cancelledError();
  const quickjs = await newIsolatedQuickJS(limits.memoryBytes);
  if (options.signal?.aborted) throw cancelledError();
  return new SandboxSession(quickjs, options, limits).run();
}
