/**
 * The border between the untrusted workflow script (inside QuickJS) and the host runtime.
 * Only JSON values cross it.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface SandboxLimits {
  /** Heap ceiling of the script's runtime. Default 256 MiB. */
  readonly memoryBytes: number;
  /** Longest synchronous stretch between two awaits. Default 10 s. */
  readonly cpuMsPerSlice: number;
}

/**
 * What the script's globals call into. Asynchronous ones return promises inside the sandbox;
 * their rejections become JS errors there that keep `code` (e.g. `BUDGET_EXHAUSTED`).
 */
export interface ScriptHost {
  agent(prompt: JsonValue, options: JsonValue, hints: { readonly priority: number }): Promise<JsonValue>;
  exec(command: JsonValue, options: JsonValue): Promise<JsonValue>;
  workflow(reference: JsonValue, args: JsonValue | undefined): Promise<JsonValue>;
  phase(title: string): void;
  log(message: string): void;
  warn(message: string): void;
  budget(): { readonly total: number | null; readonly spent: number };
}

export interface SandboxRunOptions {
  /** Script text, plain JS (types already stripped), `export const meta` included. */
  readonly source: string;
  /** Shown in errors as `file:line:col`. */
  readonly filename: string;
  /** The value of `args` (undefined when none were given). */
  readonly args: JsonValue | undefined;
  /** The value of the `meta` global when the script declares none (its own `const meta` shadows it). */
  readonly meta?: JsonValue | undefined;
  /** Seed of `Math.random()`. */
  readonly seed: number;
  readonly host: ScriptHost;
  readonly limits?: Partial<SandboxLimits>;
  /** Aborting stops the script: pending host calls reject, the VM is disposed. */
  readonly signal?: AbortSignal;
}
