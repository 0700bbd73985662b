export { runInSandbox, DEFAULT_SANDBOX_LIMITS } from './run-in-sandbox.js';
export type { JsonValue, ScriptHost, SandboxLimits, SandboxRunOptions } from './types.js';
