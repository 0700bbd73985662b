/**
 * Whether agents' commands, `exec()` and stdio MCP servers run in the OS sandbox (src/shell): on
 * where the machine has one, off with `--no-sandbox` (program.ts turns it into
 * `DYNAFLOW_SANDBOX=off`) or settings `"sandbox": { "enabled": false }`; settings
 * `sandbox.network.allow` lists the hosts commands may reach. One reading for the run and its card.
 */
import type { SandboxSettings } from '../settings/index.js';
import { describeOsSandbox, detectOsSandbox, type OsSandboxMode } from '../shell/index.js';

export interface SandboxChoice {
  readonly mode: OsSandboxMode;
  readonly networkAllow: readonly string[];
}

export function sandboxChoice(env: NodeJS.ProcessEnv, sandbox: SandboxSettings | undefined): SandboxChoice {
  const off = env.DYNAFLOW_SANDBOX === 'off' || sandbox?.enabled === false;
  return { mode: off ? 'off' : 'auto', networkAllow: sandbox?.networkAllow ?? [] };
}

/** The plan card's line: how commands will run, or why they will not be sandboxed. */
export async function describeSandboxChoice(choice: SandboxChoice): Promise<string> {
  return describeOsSandbox(choice.mode, await detectOsSandbox(), choice.networkAllow);
}
