/** `dynaflow run FILE|NAME` — approval, then the run; stdout carries only the result. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError } from '../../errors/index.js';
import { startRun, findSavedWorkflow } from '../../runtime/index.js';
import type { JsonValue } from '../../sandbox/index.js';
import { loadScript, validateArgs, type LoadedScript } from '../../script/index.js';
import { parseArgsFlag, type CliIo } from '../context.js';
import { executeRun } from '../execute.js';
import { askApproval, renderPlanCard } from '../approval.js';

export interface RunFlags {
  readonly args?: string;
  readonly yes?: boolean;
  readonly provider?: string;
  readonly model?: string;
  readonly concurrency?: number;
  readonly maxAgents?: number;
  readonly budget?: number;
  readonly maxCost?: number;
  readonly reuse?: string;
  readonly stateDir?: string;
  readonly quiet?: boolean;
}

export async function runCommand(
  io: CliIo,
  projectRoot: string,
  target: string,
  flags: RunFlags,
): Promise<number> {
  const script = await loadTarget(io, projectRoot, target);
  const args = parseArgsFlag(flags.args) as JsonValue | undefined;
  validateArgs(script.meta, args);
  for (const warning of script.warnings) {
    io.stderr(`${warning.file}:${warning.line}:${warning.column} warning: ${warning.message}`);
  }
  const limits = {
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(flags.maxAgents !== undefined ? { maxAgents: flags.maxAgents } : {}),
    ...(flags.budget !== undefined ? { budgetTokens: flags.budget } : {}),
    ...(flags.maxCost !== undefined ? { maxCostUsd: flags.maxCost } : {}),
  };
  if (!flags.yes) {
    if (!io.stdinIsTty || !io.stderrIsTty) {
      io.stderr(renderPlanCard(script, limits));
      io.stderr('not approved: no terminal to ask in. Pass --yes to run without asking.');
      return EXIT.notApproved;
    }
    if (!(await askApproval(io, script, limits))) {
      io.stderr('not approved: nothing was run.');
      return EXIT.notApproved;
    }
  }
  return executeRun(
    { io, projectRoot, stateDir: flags.stateDir, providerFlag: flags.provider, quiet: Boolean(flags.quiet) },
    (deps, signal) =>
      startRun(deps, {
        script,
        args,
        limits,
        signal,
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.reuse ? { reuseFrom: flags.reuse } : {}),
      }),
  );
}

/** A path to a script, or the name of a saved workflow. */
async function loadTarget(io: CliIo, projectRoot: string, target: string): Promise<LoadedScript> {
  const asPath = path.resolve(io.cwd, target);
  if (existsSync(asPath)) return loadScript(asPath);
  const saved = findSavedWorkflow(target, projectRoot);
  if (saved) return loadScript(saved);
  throw new UsageError('SCRIPT_NOT_FOUND', `no script file or saved workflow named "${target}"`, {
    hint: 'pass a path like ./review.workflow.js, or list saved ones with: dynaflow workflows',
  });
}
