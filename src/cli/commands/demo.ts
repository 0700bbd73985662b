/**
 * `dynaflow demo` — a real multi-agent workflow (the shipped `demo` workflow) against the
 * simulator started in this process: real HTTP, real SDK, real journal. No key needed.
 */
import path from 'node:path';
import { rehearse, type Rehearsal } from '../../planner/index.js';
import { BUILT_IN_WORKFLOWS, startRun } from '../../runtime/index.js';
import { loadScript } from '../../script/index.js';
import type { CliIo } from '../context.js';
import { demoBehaviour } from '../demo-behaviour.js';
import { executeRun } from '../execute.js';
import { wantsLiveMonitor } from '../live-view.js';

function agentsPerPhase(rehearsal: Rehearsal): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of rehearsal.calls) {
    if (call.kind === 'agent' && call.phase) counts[call.phase] = (counts[call.phase] ?? 0) + 1;
  }
  return counts;
}

export interface DemoFlags {
  readonly stateDir?: string;
  readonly latency?: number;
  readonly concurrency?: number;
}

const DEMO_ARGS = {
  files: ['src/auth.ts', 'src/billing.ts', 'src/cache.ts', 'src/queue.ts', 'src/search.ts'],
};

export async function demoCommand(io: CliIo, projectRoot: string, flags: DemoFlags): Promise<number> {
  const script = await loadScript(path.join(BUILT_IN_WORKFLOWS, 'demo.workflow.js'));
  io.stderr(`demo: "${script.meta.name}" — ${script.meta.description}`);
  io.stderr("demo: the model is dynaflow's simulator, started in this process (no API key, no network).");
  // In a terminal the live monitor shows progress against the plan: the rehearsal (same
  // simulated answers) tells how many agents each phase will start.
  const expected = wantsLiveMonitor(io, false)
    ? agentsPerPhase(
        await rehearse({ script, args: DEMO_ARGS, projectRoot, behaviour: demoBehaviour, simSeed: 7 }),
      )
    : undefined;
  return executeRun(
    {
      io,
      projectRoot,
      stateDir: flags.stateDir,
      providerFlag: 'sim',
      quiet: false,
      // The harmless first command: nothing a cloned repository configures starts or applies.
      projectConfiguration: 'ignore',
      providerSetup: { simLatencyMs: flags.latency ?? 250, simSeed: 7, simBehaviour: demoBehaviour },
      monitor: {
        name: script.meta.name,
        phases: script.meta.phases ?? [],
        ...(expected ? { expected } : {}),
        scriptText: script.text,
      },
    },
    (deps, signal) =>
      startRun(deps, {
        script,
        args: DEMO_ARGS,
        limits: { concurrency: flags.concurrency ?? 4 },
        signal,
      }),
  );
}
