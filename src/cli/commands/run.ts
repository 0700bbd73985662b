/** `dynaflow run FILE|NAME` — approval, then the run; stdout carries only the result. */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError } from '../../errors/index.js';
import { resolveStateDir } from '../../journal/index.js';
import type { PlanEstimate } from '../../planner/index.js';
import { resolveProviderId } from '../../providers/index.js';
import { startRun, findSavedWorkflow } from '../../runtime/index.js';
import type { JsonValue } from '../../sandbox/index.js';
import { systemClock } from '../../scheduler/index.js';
import { loadScript, validateArgs, type LoadedScript } from '../../script/index.js';
import { limitsFromFlags, parseArgsFlag, type CliIo } from '../context.js';
import { detachRun } from '../detach.js';
import { executeRun } from '../execute.js';
import { monitorRequestFor } from '../live-view.js';
import { approveRun } from '../approval.js';
import { homeOf, workflowLookup } from '../project-trust.js';

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
  readonly detach?: boolean;
}

export async function runCommand(
  io: CliIo,
  projectRoot: string,
  target: string,
  flags: RunFlags,
): Promise<number> {
  let script = await loadTarget(io, projectRoot, target);
  const args = parseArgsFlag(flags.args) as JsonValue | undefined;
  validateArgs(script.meta, args);
  for (const warning of script.warnings) {
    io.stderr(`${warning.file}:${warning.line}:${warning.column} warning: ${warning.message}`);
  }
  const limits = limitsFromFlags(flags);
  // The rehearsal and the run share the seed, so a script that samples with Math.random()
  // is rehearsed with the sample it will really take.
  const seed = randomInt(0, 2 ** 31);
  let plan: PlanEstimate | undefined;
  if (!flags.yes) {
    const approval = await approveRun(io, {
      script,
      args,
      limits,
      model: flags.model,
      providerId: resolveProviderId(flags.provider, io.env),
      projectRoot,
      seed,
    });
    if (!approval.approved) return EXIT.notApproved;
    script = approval.script;
    plan = approval.planned?.plan;
  }
  if (flags.detach) {
    return detachRun({
      io,
      stateDir: resolveStateDir(projectRoot, flags.stateDir),
      argv: childArgv(script.path, flags),
      clock: systemClock,
    });
  }
  return executeRun(
    {
      io,
      projectRoot,
      stateDir: flags.stateDir,
      providerFlag: flags.provider,
      quiet: Boolean(flags.quiet),
      monitor: monitorRequestFor(script, limits, plan),
    },
    (deps, signal) =>
      startRun(deps, {
        script,
        args,
        limits,
        signal,
        seed,
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.reuse ? { reuseFrom: flags.reuse } : {}),
      }),
  );
}

/** The same run for the background process: approved already, so `--yes`; never `--detach`. */
function childArgv(scriptPath: string, flags: RunFlags): string[] {
  const argv = ['run', scriptPath, '--yes'];
  const add = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) argv.push(name, String(value));
  };
  add('--args', flags.args);
  add('--provider', flags.provider);
  add('--model', flags.model);
  add('--concurrency', flags.concurrency);
  add('--max-agents', flags.maxAgents);
  add('--budget', flags.budget);
  add('--max-cost', flags.maxCost);
  add('--reuse', flags.reuse);
  add('--state-dir', flags.stateDir);
  if (flags.quiet) argv.push('--quiet');
  return argv;
}

/** A path to a script, or the name of a saved workflow. */
export async function loadTarget(io: CliIo, projectRoot: string, target: string): Promise<LoadedScript> {
  const asPath = path.resolve(io.cwd, target);
  if (existsSync(asPath)) return loadScript(asPath);
  const saved = findSavedWorkflow(target, projectRoot, homeOf(io), workflowLookup(io, projectRoot));
  if (saved) return loadScript(saved);
  throw new UsageError('SCRIPT_NOT_FOUND', `no script file or saved workflow named "${target}"`, {
    hint: 'pass a path like ./review.workflow.js, or list saved ones with: dynaflow workflows',
  });
}
