export { runShell } from './run-shell.js';
export type { ShellRequest, ShellResult } from './run-shell.js';
export { CommandSandbox } from './command-sandbox.js';
export type { CommandPlace, CommandSandboxOptions, PreparedCommand } from './command-sandbox.js';
export { describeOsSandbox, detectOsSandbox } from './os-sandbox.js';
export type { OsSandboxDetection, OsSandboxKind, OsSandboxMode } from './os-sandbox.js';
export { startNetworkProxy, DEFAULT_PROXY_LIMITS } from './network-proxy.js';
export type { NetworkProxy, NetworkProxyLimits } from './network-proxy.js';
export { BoundedOutput, DEFAULT_OUTPUT_LIMIT, limitText } from './bounded-output.js';
