/**
 * `dynaflow ultracode "TASK"` — a planner agent writes a workflow for the task; it is validated
 * (syntax, meta, known globals, a rehearsal; errors go back to the planner for repair), saved as
 * `.dynaflow/workflows/<name>.workflow.js`, shown as a plan card, and run on approval. Afterwards
 * `dynaflow <name>` runs it again.
 */
import { randomInt } from 'node:crypto';
import { EXIT } from '../../errors/index.js';
import { planWorkflow, rehearse, saveWorkflowCommand, type PlanEstimate } from '../../planner/index.js';
import { resolveProviderId } from '../../providers/index.js';
import { startRun } from '../../runtime/index.js';
import { loadScript } from '../../script/index.js';
import { approveRun, planRun, rehearsalTooling } from '../approval.js';
import { limitsFromFlags, type CliIo } from '../context.js';
import { executeRun } from '../execute.js';
import { monitorRequestFor } from '../live-view.js';
import { openProvider } from '../provider-setup.js';
import { loadSettings } from '../../settings/index.js';

export interface UltracodeFlags {
  readonly yes?: boolean;
  readonly provider?: string;
  /** Default model of the workflow's agents. */
  readonly model?: string;
  /** The planner's model (default opus). */
  readonly plannerModel?: string;
  readonly maxRounds?: number;
  readonly concurrency?: number;
  readonly maxAgents?: number;
  readonly budget?: number;
  readonly maxCost?: number;
  readonly stateDir?: string;
  readonly quiet?: boolean;
}

export async function ultracodeCommand(
  io: CliIo,
  projectRoot: string,
  task: string,
  flags: UltracodeFlags,
): Promise<number> {
  const providerId = resolveProviderId(flags.provider, io.env);
  const limits = limitsFromFlags(flags);
  const seed = randomInt(0, 2 ** 31);
  const settings = await loadSettings(projectRoot);
  const tooling = rehearsalTooling(settings);
  // The planner's own requests honour settings `models` too (an alias mapped to a Bedrock ARN…).
  const opened = await openProvider(flags.provider, io.env, {
    models: settings.models,
    prices: settings.prices,
  });
  let planned;
  try {
    planned = await planWorkflow({
      task,
      provider: opened.provider,
      projectRoot,
      ...(flags.plannerModel ? { model: flags.plannerModel } : {}),
      ...(flags.maxRounds ? { maxRounds: flags.maxRounds } : {}),
      onProgress: (line) => io.stderr(line),
      rehearse: (script) =>
        rehearse({
          script,
          args: undefined,
          projectRoot,
          limits,
          seed,
          tooling,
          ...(flags.model ? { model: flags.model } : {}),
        }),
    });
  } finally {
    await opened.close();
  }
  const saved = saveWorkflowCommand(projectRoot, planned.script.meta.name, planned.script.text);
  io.stderr(
    `planner: "${planned.script.meta.name}" valid after ${planned.rounds} answer(s); ` +
      `${saved.written ? 'saved as' : 'same as'} ${saved.path}`,
  );
  // From here on the script is the saved file: a resume or a rerun by name finds the same text.
  const script = await loadScript(saved.path);
  const request = { script, args: undefined, limits, model: flags.model, providerId, projectRoot, seed };
  let plan: PlanEstimate | undefined;
  if (flags.yes) {
    const card = await planRun(request, planned.rehearsal);
    io.stderr(card.card);
    plan = card.plan;
  } else {
    const approval = await approveRun(io, request, { rehearsal: planned.rehearsal });
    if (!approval.approved) {
      io.stderr(`the workflow stays saved: review it, then run it with: dynaflow ${saved.name}`);
      return EXIT.notApproved;
    }
    plan = approval.planned?.plan;
  }
  const code = await executeRun(
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
        args: undefined,
        limits,
        signal,
        seed,
        ...(flags.model ? { model: flags.model } : {}),
      }),
  );
  io.stderr(`run it again with: dynaflow ${saved.name}`);
  return code;
}
