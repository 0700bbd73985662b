import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { ScriptError } from '../../errors/index.js';
import type { JsonValue, SandboxLimits, SandboxRunOptions } from '../types.js';
import { recordDisposeFailure } from './dispose-health.js';
import { HardStop } from './hard-timeout.js';
import type { IsolatedQuickJS } from './quickjs-module.js';
import { batchJsonArrays, HostCallQueue } from './host-call-queue.js';
import { dispatchHostCall, HostFailures, type Envelope } from './host-dispatch.js';
import { installPrelude, type Bridge, type InstalledPrelude } from './install-prelude.js';
import {
  cancelledError,
  describeThrown,
  cpuLimitError,
  heldArgumentsError,
  locationInScript,
  memoryLimitError,
  scriptThrowError,
  stuckError,
  syntaxError,
  unserialisableError,
  type ThrowDescription,
} from './vm-errors.js';
import { wasm } from './wasm-api.js';
import { wrapSource } from './wrap-source.js';

/**
 * QuickJS counts its stack in the wasm shadow stack, but the V8 stack under the wasm frames runs
 * out first when this is large (1 MiB overflows V8 in tests); 256 KiB gives QuickJS's own clean
 * `InternalError: stack overflow` with room to spare.
 */
const MAX_STACK_BYTES = 256 * 1024;
/** After the CPU limit fires, this much more time lets the prelude report where the script was. */
const REPORT_GRACE_MS = 50;
/** Host calls handed over per event-loop turn; the first turn's agents start their requests. */
const HOST_CALLS_PER_TURN = 64;
/** Settlement JSON handed to the VM per entry: bounds the transient copy of many large results. */
const SETTLEMENT_BATCH_CHARS = 1024 * 1024;
/** Past its CPU limit plus this, the watchdog ends a slice the interrupt handler could not stop. */
const HARD_STOP_GRACE_MS = 1000;

type Outcome =
  | { readonly ok: true; readonly value: JsonValue | undefined }
  | { readonly ok: false; readonly error: unknown };

/**
 * One script run: one QuickJS instance, runtime and context, disposed at the end whatever happens.
 *
 * The event loop of the VM is driven from the host. The script's host calls are ordinary promises
 * made inside the VM and known to the host by id; settled host promises are queued, and once per
 * macrotask the host enters the VM once to settle them all (the prelude's `settleMany`), then runs
 * one `executePendingJobs()` (so 10,000 settlements in one tick cost one entry, not 10,000).
 */
export class SandboxSession {
  private readonly runtime: QuickJSRuntime;
  private readonly vm: QuickJSContext;
  /** Unsettled calls: id → length of their arguments, whose total the memory limit bounds. */
  private readonly outstanding = new Map<number, number>();
  private heldChars = 0;
  /** Settlements (`{ id, ok, … }` as JSON) waiting for the next drain to enter the VM. */
  private settlements: string[] = [];
  /** The prelude's `settleMany`, held until dispose. */
  private settleMany: QuickJSHandle | undefined;
  /** Calls made by the script and not yet handed to the host. */
  private readonly hostCalls = new HostCallQueue(HOST_CALLS_PER_TURN, ({ id, kind, payloadJson }) => {
    void this.invokeHost(kind, payloadJson).then(
      (value) => this.settle(id, { ok: true, value }),
      (error: unknown) => this.settle(id, this.hostFailures.envelope(error)),
    );
  });
  /** Original host rejections, so an uncaught one leaves the sandbox as the very same error. */
  private readonly hostFailures = new HostFailures();
  private outcome: Outcome | undefined;
  private resolveOutcome: (outcome: Outcome) => void = () => undefined;
  private readonly finished: Promise<Outcome>;
  private drainScheduled = false;
  private readonly hardStop = new HardStop();
  private sliceStartedAt = 0;
  private cpuExceededAt: number | undefined;
  private cancelRequested = false;
  private cancelDelivered = false;
  /** The instance failed at the wasm level (V8 stack, wasm trap): it must not be touched again. */
  private broken = false;
  /** Dispose nothing: the instance is left to the garbage collector as a whole. */
  private abandonInstance = false;
  private disposed = false;
  private readonly onAbort = (): void => {
    this.cancelRequested = true;
    this.scheduleDrain();
  };

  constructor(
    private readonly quickjs: IsolatedQuickJS,
    private readonly options: SandboxRunOptions,
    private readonly limits: SandboxLimits,
  ) {
    this.finished = new Promise<Outcome>((resolve) => {
      this.resolveOutcome = resolve;
    });
    this.runtime = quickjs.module.newRuntime();
    this.runtime.setMemoryLimit(limits.memoryBytes);
    this.runtime.setMaxStackSize(MAX_STACK_BYTES);
    this.runtime.setInterruptHandler(() => this.shouldInterrupt());
    this.vm = this.runtime.newContext();
  }

  async run(): Promise<JsonValue | undefined> {
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    try {
      this.start();
      this.afterSlice();
      const outcome = await this.finished;
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    } finally {
      this.dispose();
    }
  }

  // ---- starting ----

  private start(): void {
    const prelude = this.installPrelude();
    if (!prelude) return;
    this.settleMany = prelude.settleMany;
    const startFunction = prelude.start;
    try {
      const compiled = this.enter(() =>
        this.vm.evalCode(wrapSource(this.options.source), this.options.filename, { type: 'global' }),
      );
      if (!compiled) return;
      if (compiled.error) {
        const description = describeThrown(this.vm, compiled.error);
        this.finish({ ok: false, error: syntaxError(description, this.options.filename) });
        return;
      }
      const scriptFunction = compiled.value;
      try {
        const started = this.enter(() =>
          this.vm.callFunction(startFunction, this.vm.undefined, scriptFunction),
        );
        if (started?.error) this.failWithHandle(started.error);
        else started?.value.dispose();
      } finally {
        scriptFunction.dispose();
      }
    } finally {
      startFunction.dispose();
    }
  }

  /** Evaluates the prelude with the bridge; returns its `start(scriptFunction)` and `settleMany`. */
  private installPrelude(): InstalledPrelude | undefined {
    const bridge: Bridge = {
      call: (kind, id, payloadChars, readPayload) => this.hostCall(kind, id, payloadChars, readPayload),
      notify: (kind, text) => this.notify(kind, text),
      budgetJson: () => JSON.stringify(this.options.host.budget()),
      done: (kind, payload) => this.onDone(kind, payload),
    };
    const config = { seed: this.options.seed, args: this.options.args, meta: this.options.meta };
    const installed = installPrelude(this.vm, bridge, config, (action) => this.enter(action));
    if (installed?.error) {
      this.failWithHandle(installed.error);
      return undefined;
    }
    return installed?.value;
  }

  // ---- the bridge ----

  private hostCall(kind: string, id: number, payloadChars: number, readPayload: () => string): void {
    // Once the run is decided (a loop still running after `return`), nothing more reaches the host.
    if (this.outcome || this.disposed) return;
    if (this.heldChars + payloadChars > this.limits.memoryBytes) {
      this.finish({ ok: false, error: heldArgumentsError(this.limits.memoryBytes) });
      return;
    }
    this.heldChars += payloadChars;
    this.outstanding.set(id, payloadChars);
    this.hostCalls.push({ id, kind, payloadJson: readPayload() });
  }

  /** A call made after cancellation or the CPU limit never reaches the host. */
  private invokeHost(kind: string, payloadJson: string): Promise<JsonValue> {
    if (this.cancelRequested) return Promise.reject(cancelledError());
    if (this.cpuExceededAt !== undefined)
      return Promise.reject(cpuLimitError(this.limits.cpuMsPerSlice, undefined));
    return dispatchHostCall(this.options.host, kind, payloadJson);
  }

  /** Queues the settlement of call `id` for the next drain; each call is settled at most once. */
  private settle(id: number, envelope: Envelope): void {
    const held = this.outstanding.get(id);
    if (this.outcome || this.disposed || held === undefined) return;
    this.outstanding.delete(id);
    this.heldChars -= held;
    let json: string;
    try {
      json = JSON.stringify({ id, ...envelope });
    } catch (error) {
      const failure = this.hostFailures.envelope(
        new ScriptError('SCRIPT_THREW', `a host result is not JSON: ${String(error)}`),
      );
      json = JSON.stringify({ id, ...failure });
    }
    this.settlements.push(json);
    this.scheduleDrain();
  }

  /**
   * Settles every queued host call inside the VM, in the order their results arrived: one VM entry
   * per batch of up to SETTLEMENT_BATCH_CHARS of JSON (large results are not all copied in at once).
   */
  private deliverSettlements(): void {
    const settleMany = this.settleMany;
    if (this.settlements.length === 0 || !settleMany) return;
    const batches = batchJsonArrays(this.settlements, SETTLEMENT_BATCH_CHARS);
    this.settlements = [];
    for (const json of batches) {
      if (this.outcome) return;
      const result = this.enter(() => {
        const text = this.vm.newString(json);
        try {
          return this.vm.callFunction(settleMany, this.vm.undefined, text);
        } finally {
          text.dispose();
        }
      });
      if (result?.error) this.failWithHandle(result.error);
      else result?.value.dispose();
    }
  }

  private notify(kind: string, text: string): void {
    if (this.cpuExceededAt !== undefined || this.outcome) return;
    const host = this.options.host;
    if (kind === 'phase') host.phase(text);
    else if (kind === 'log') host.log(text);
    else host.warn(text);
  }

  private onDone(kind: string, payload: string): void {
    if (kind === 'returned') {
      this.finish({ ok: true, value: payload === '' ? undefined : (JSON.parse(payload) as JsonValue) });
    } else if (kind === 'unserialisable') {
      this.finish({ ok: false, error: unserialisableError(payload) });
    } else if (payload === '') {
      // The prelude could not even describe the error: the VM is out of memory.
      this.abandonInstance = true;
      this.finish({ ok: false, error: memoryLimitError(this.limits.memoryBytes, undefined) });
    } else {
      this.finish({ ok: false, error: this.translate(JSON.parse(payload) as ThrowDescription) });
    }
  }

  // ---- the VM's event loop ----

  private scheduleDrain(): void {
    if (this.drainScheduled || this.outcome || this.disposed) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    if (this.outcome || this.disposed) return;
    // One watchdog for the whole drain (arming one starts a thread, ~50 µs; a fan-out drains often).
    this.underOneWatchdog(() => {
      if (this.cancelRequested && !this.cancelDelivered) this.deliverCancellation();
      this.deliverSettlements();
      if (this.outcome) return;
      const result = this.enter(() => this.runtime.executePendingJobs());
      if (result?.error) this.failWithHandle(result.error);
    });
    this.afterSlice();
  }

  private deliverCancellation(): void {
    this.cancelDelivered = true;
    for (const id of [...this.outstanding.keys()])
      this.settle(id, this.hostFailures.envelope(cancelledError()));
  }

  private afterSlice(): void {
    if (this.outcome) return;
    if (this.cpuExceededAt !== undefined) {
      // One short extra slice lets the rejection handler report the script location.
      if (this.runtime.hasPendingJob() && performance.now() - this.cpuExceededAt < REPORT_GRACE_MS) {
        const result = this.enter(() => this.runtime.executePendingJobs());
        if (result?.error) this.failWithHandle(result.error);
      }
      this.finish({ ok: false, error: cpuLimitError(this.limits.cpuMsPerSlice, undefined) });
      return;
    }
    if (this.cancelDelivered) {
      this.finish({ ok: false, error: cancelledError() });
      return;
    }
    if (this.runtime.hasPendingJob() || this.cancelRequested || this.settlements.length > 0) {
      this.scheduleDrain();
      return;
    }
    if (this.outstanding.size === 0) {
      this.finish({ ok: false, error: stuckError() });
    }
  }

  private shouldInterrupt(): boolean {
    // The run is decided (returned, failed, over its memory): whatever still runs in the VM stops.
    if (this.outcome) return true;
    const now = performance.now();
    if (this.cpuExceededAt !== undefined) return now - this.cpuExceededAt > REPORT_GRACE_MS;
    if (now - this.sliceStartedAt > this.limits.cpuMsPerSlice) {
      this.cpuExceededAt = now;
      return true;
    }
    return false;
  }

  /** `work` (VM entries) under one hard stop (hard-timeout.ts): only for natives that never yield. */
  private underOneWatchdog<T>(work: () => T): T | undefined {
    const sliceMs = this.cpuExceededAt === undefined ? this.limits.cpuMsPerSlice : REPORT_GRACE_MS;
    return this.hardStop.run(work, 2 * sliceMs + HARD_STOP_GRACE_MS, () => {
      this.broken = true;
      this.finish({ ok: false, error: cpuLimitError(this.limits.cpuMsPerSlice, undefined) });
    });
  }

  /**
   * Every entry into the VM goes through here: it starts the CPU clock of the slice and turns a
   * wasm-level failure (V8 stack overflow under deep native recursion, a wasm trap) into a limit
   * error instead of a host crash.
   */
  private enter<T>(action: () => T): T | undefined {
    if (this.broken || this.disposed) return undefined;
    if (this.cpuExceededAt === undefined) this.sliceStartedAt = performance.now();
    try {
      return this.underOneWatchdog(action);
    } catch (error) {
      if (error instanceof RangeError || error instanceof wasm.RuntimeError) {
        this.broken = true;
        this.finish({ ok: false, error: memoryLimitError(this.limits.memoryBytes, undefined) });
        return undefined;
      }
      throw error;
    }
  }

  // ---- outcomes ----

  /** Reading what was thrown can run script code (getters, toJSON): a guarded VM entry like any other. */
  private failWithHandle(handle: QuickJSHandle): void {
    const description = this.enter(() => describeThrown(this.vm, handle));
    if (description) this.finish({ ok: false, error: this.translate(description) });
  }

  private translate(description: ThrowDescription): unknown {
    const filename = this.options.filename;
    if (this.cpuExceededAt !== undefined) {
      return cpuLimitError(this.limits.cpuMsPerSlice, locationInScript(description.stack, filename));
    }
    if (this.cancelRequested) return cancelledError();
    if (this.hostFailures.has(description.ref)) return this.hostFailures.original(description.ref);
    const outOfMemory =
      (description.name === 'InternalError' && description.message === 'out of memory') ||
      (this.quickjs.memoryExhausted() && !description.isError);
    if (outOfMemory) {
      // QuickJS's out-of-memory paths can leave objects behind, which would fail the runtime's
      // leak assertion at dispose: drop the whole instance instead.
      this.abandonInstance = true;
      return memoryLimitError(this.limits.memoryBytes, locationInScript(description.stack, filename));
    }
    return scriptThrowError(description, filename);
  }

  private finish(outcome: Outcome): void {
    if (this.outcome) return;
    // Every call the script made reaches the host, even when the script ends first: the runtime
    // records the ones it never awaited.
    this.hostCalls.flush(Infinity);
    // Once cancellation is requested it wins over whatever the script did afterwards.
    this.outcome = this.cancelRequested && outcome.ok ? { ok: false, error: cancelledError() } : outcome;
    this.resolveOutcome(this.outcome);
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    // A broken or exhausted instance is dropped whole; touching it again could trap.
    if (this.broken || this.abandonInstance) return;
    try {
      if (this.settleMany?.alive) this.settleMany.dispose();
      this.vm.dispose();
      this.runtime.dispose();
    } catch {
      recordDisposeFailure();
    }
  }
}
