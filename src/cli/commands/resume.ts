/** `dynaflow resume ID` — continue a stopped, failed or killed run. */
import { resumeRun } from '../../runtime/index.js';
import type { CliIo } from '../context.js';
import { executeRun } from '../execute.js';

export interface ResumeFlags {
  readonly provider?: string;
  readonly budget?: number;
  readonly maxCost?: number;
  readonly concurrency?: number;
  readonly stateDir?: string;
  readonly quiet?: boolean;
}

export async function resumeCommand(
  io: CliIo,
  projectRoot: string,
  runId: string,
  flags: ResumeFlags,
): Promise<number> {
  const limits = {
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(flags.budget !== undefined ? { budgetTokens: flags.budget } : {}),
    ...(flags.maxCost !== undefined ? { maxCostUsd: flags.maxCost } : {}),
  };
  return executeRun(
    {
      io,
      projectRoot,
      stateDir: flags.stateDir,
      providerFlag: (journal) => flags.provider ?? journal.requireRun(runId).provider,
      quiet: Boolean(flags.quiet),
    },
    (deps, signal) => resumeRun(deps, { runId, limits, signal }),
  );
}
