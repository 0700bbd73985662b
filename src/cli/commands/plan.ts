/**
 * `dynaflow plan FILE|NAME [--args JSON]` — the approval card only: the script is rehearsed on
 * the simulator (agents counted per phase, prompt tokens measured, output and cost as ranges).
 * No real agent runs and no request reaches a provider.
 */
import { EXIT } from '../../errors/index.js';
import { resolveProviderId } from '../../providers/index.js';
import type { JsonValue } from '../../sandbox/index.js';
import { validateArgs } from '../../script/index.js';
import { planRun } from '../approval.js';
import { limitsFromFlags, parseArgsFlag, type CliIo } from '../context.js';
import { loadTarget } from './run.js';

export interface PlanFlags {
  readonly args?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly concurrency?: number;
  readonly maxAgents?: number;
  readonly budget?: number;
  readonly maxCost?: number;
  readonly seed?: number;
  readonly json?: boolean;
}

export async function planCommand(
  io: CliIo,
  projectRoot: string,
  target: string,
  flags: PlanFlags,
): Promise<number> {
  const script = await loadTarget(io, projectRoot, target);
  const args = parseArgsFlag(flags.args) as JsonValue | undefined;
  validateArgs(script.meta, args);
  const limits = limitsFromFlags(flags);
  const planned = await planRun(
    {
      script,
      args,
      limits,
      model: flags.model,
      providerId: resolveProviderId(flags.provider, io.env),
      projectRoot,
      seed: flags.seed ?? 0,
    },
    undefined,
    io.env,
  );
  io.stderr(planned.card);
  // stdout carries the machine-readable plan, as it carries a run's result.
  if (flags.json) io.stdout(`${JSON.stringify(planned.plan, null, 2)}\n`);
  return EXIT.done;
}
