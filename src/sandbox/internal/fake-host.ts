import { runInSandbox } from '../run-in-sandbox.js';
import type { JsonValue, SandboxRunOptions, ScriptHost } from '../types.js';

/** A recorded host call, for assertions in tests. */
export interface HostCall {
  readonly kind: 'agent' | 'exec' | 'workflow';
  readonly input: JsonValue;
  readonly options: JsonValue | undefined;
  readonly priority: number;
}

interface Waiter {
  readonly call: HostCall;
  resolve(value: JsonValue): void;
  reject(error: unknown): void;
}

/**
 * A ScriptHost for tests. By default `agent()` answers at once with `answer(call)`; with
 * `onDemand: true` every call waits until the test releases it, so tests control interleaving
 * without any timer.
 */
export class FakeHost implements ScriptHost {
  readonly calls: HostCall[] = [];
  readonly phases: string[] = [];
  readonly logs: string[] = [];
  readonly warnings: string[] = [];
  readonly waiting: Waiter[] = [];
  total: number | null = null;
  spent = 0;
  private listeners: Array<() => boolean> = [];

  constructor(
    private readonly settings: {
      readonly onDemand?: boolean;
      readonly answer?: (call: HostCall) => JsonValue | Promise<JsonValue>;
    } = {},
  ) {}

  agent(prompt: JsonValue, options: JsonValue, hints: { readonly priority: number }): Promise<JsonValue> {
    return this.record({ kind: 'agent', input: prompt, options, priority: hints.priority });
  }

  exec(command: JsonValue, options: JsonValue): Promise<JsonValue> {
    return this.record({ kind: 'exec', input: command, options, priority: 0 });
  }

  workflow(reference: JsonValue, args: JsonValue | undefined): Promise<JsonValue> {
    return this.record({ kind: 'workflow', input: reference, options: args, priority: 0 });
  }

  phase(title: string): void {
    this.phases.push(title);
  }

  log(message: string): void {
    this.logs.push(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  budget(): { readonly total: number | null; readonly spent: number } {
    return { total: this.total, spent: this.spent };
  }

  /** Resolves once `count` calls are waiting to be released. */
  whenWaiting(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        if (this.waiting.length < count) return false;
        resolve();
        return true;
      };
      if (!check()) this.listeners.push(check);
    });
  }

  /** Releases the first waiting call whose input satisfies `match`. */
  release(match: (call: HostCall) => boolean, value: JsonValue): HostCall {
    const index = this.waiting.findIndex((waiter) => match(waiter.call));
    const waiter = this.waiting[index];
    if (!waiter) throw new Error('no waiting call matches');
    this.waiting.splice(index, 1);
    waiter.resolve(value);
    return waiter.call;
  }

  private record(call: HostCall): Promise<JsonValue> {
    this.calls.push(call);
    if (this.settings.onDemand) {
      return new Promise<JsonValue>((resolve, reject) => {
        this.waiting.push({ call, resolve, reject });
        this.listeners = this.listeners.filter((listener) => !listener());
      });
    }
    const answer = this.settings.answer ?? ((made: HostCall) => `done:${JSON.stringify(made.input)}`);
    return Promise.resolve(answer(call));
  }
}

/** Runs `source` in the sandbox with a FakeHost (or the given one) and small test defaults. */
export function runWith(
  source: string,
  overrides: Partial<SandboxRunOptions> & { host?: ScriptHost } = {},
): Promise<JsonValue | undefined> {
  return runInSandbox({
    source,
    filename: 'test.workflow.js',
    args: undefined,
    seed: 1,
    host: new FakeHost(),
    ...overrides,
  });
}
