/**
 * `dynaflow demo` — a real multi-agent workflow (the shipped `demo` workflow) against the
 * simulator started in this process: real HTTP, real SDK, real journal. No key needed.
 */
import path from 'node:path';
import { BUILT_IN_WORKFLOWS, startRun } from '../../runtime/index.js';
import { loadScript } from '../../script/index.js';
import type { CliIo } from '../context.js';
import { demoBehaviour } from '../demo-behaviour.js';
import { executeRun } from '../execute.js';

export interface DemoFlags {
  readonly stateDir?: string;
  readonly latency?: number;
  readonly concurrency?: number;
}

export async function demoCommand(io: CliIo, projectRoot: string, flags: DemoFlags): Promise<number> {
  const script = await loadScript(path.join(BUILT_IN_WORKFLOWS, 'demo.workflow.js'));
  io.stderr(`demo: "${script.meta.name}" — ${script.meta.description}`);
  io.stderr("demo: the model is dynaflow's simulator, started in this process (no API key, no network).");
  return executeRun(
    {
      io,
      projectRoot,
      stateDir: flags.stateDir,
      providerFlag: 'sim',
      quiet: false,
      providerSetup: { simLatencyMs: flags.latency ?? 250, simSeed: 7, simBehaviour: demoBehaviour },
    },
    (deps, signal) =>
      startRun(deps, {
        script,
        args: { files: ['src/auth.ts', 'src/billing.ts', 'src/cache.ts', 'src/queue.ts', 'src/search.ts'] },
        limits: { concurrency: flags.concurrency ?? 4 },
        signal,
      }),
  );
}
