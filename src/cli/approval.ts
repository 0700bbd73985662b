/**
 * The plan card and the question before any agent runs. The card comes from a rehearsal on the
 * simulator (src/planner), so its agent counts are counted. In a terminal the user may run, run
 * and not be asked again for this workflow here, view the script, edit it in $EDITOR (it is then
 * re-validated and re-planned), or deny. Without a terminal the card is printed and the run is
 * refused (exit 4) unless `--yes` was given.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DynaflowError } from '../errors/index.js';
import type { RunLimits } from '../journal/index.js';
import {
  estimatePlan,
  isRemembered,
  rehearse,
  rememberApproval,
  renderPlanCard,
  type PlanEstimate,
  type Rehearsal,
} from '../planner/index.js';
import { BUILT_IN_WORKFLOWS, createAgentTooling, DEFAULT_LIMITS } from '../runtime/index.js';
import type { JsonValue } from '../sandbox/index.js';
import { loadScript, validateArgs, type LoadedScript } from '../script/index.js';
import { loadSettings, type DynaflowSettings } from '../settings/index.js';
import type { CliIo } from './context.js';
import { configurationSummary, homeOf, settleProjectTrust } from './project-trust.js';
import { terminalPrompter, type Prompter } from './prompter.js';
import { describeSandboxChoice, sandboxChoice } from './sandbox-choice.js';

export interface PlanRequest {
  readonly script: LoadedScript;
  readonly args: JsonValue | undefined;
  readonly limits: Partial<RunLimits>;
  readonly model: string | undefined;
  /** Shown on the card: the provider the real run will use. */
  readonly providerId: string;
  readonly projectRoot: string;
  /** The real run's `Math.random()` seed, so the rehearsal samples the same. */
  readonly seed: number;
}

export interface PlannedRun {
  readonly card: string;
  readonly plan: PlanEstimate;
  readonly rehearsal: Rehearsal;
}

/**
 * Rehearses the script and renders its card. No request reaches a real provider. `env` decides
 * the sandbox line (`DYNAFLOW_SANDBOX=off`, which `--no-sandbox` sets).
 */
export async function planRun(
  request: PlanRequest,
  rehearsal?: Rehearsal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PlannedRun> {
  const settings = await loadSettings(request.projectRoot);
  const rehearsed =
    rehearsal ??
    (await rehearse({
      script: request.script,
      args: request.args,
      projectRoot: request.projectRoot,
      limits: request.limits,
      seed: request.seed,
      tooling: rehearsalTooling(settings),
      ...(request.model ? { model: request.model } : {}),
    }));
  const plan = estimatePlan(
    request.script.meta,
    rehearsed,
    { ...DEFAULT_LIMITS, ...request.limits },
    { prices: settings.prices },
  );
  const card = renderPlanCard(plan, {
    scriptPath: request.script.path,
    provider: request.providerId,
    configuration: {
      ...configurationSummary(settings, request.projectRoot),
      sandbox: await describeSandboxChoice(sandboxChoice(env, settings.sandbox)),
    },
  });
  return { card, plan, rehearsal: rehearsed };
}

/** The project's tooling without MCP servers: a rehearsal must not start processes. */
export function rehearsalTooling(settings: DynaflowSettings) {
  return createAgentTooling({ settings: { ...settings, mcpServers: {} } });
}

export type { Prompter } from './prompter.js';

export type Approval =
  | { readonly approved: true; readonly script: LoadedScript; readonly planned: PlannedRun | undefined }
  | { readonly approved: false };

const CHOICES = '[r]un · [a]lways run this workflow here · [v]iew script · [e]dit in $EDITOR · [d]eny › ';

/**
 * Shows the card and asks. The script may come back edited.
 * @example
 * const approval = await approveRun(io, { script, args, limits, model, providerId, projectRoot, seed });
 * if (!approval.approved) return EXIT.notApproved;
 */
export async function approveRun(
  io: CliIo,
  request: PlanRequest,
  options: { readonly prompter?: () => Prompter; readonly rehearsal?: Rehearsal } = {},
): Promise<Approval> {
  // Trust first: the card then shows the configuration that will really apply.
  await settleProjectTrust(io, request.projectRoot, {
    ask: true,
    prompter: options.prompter ?? terminalPrompter,
  });
  if (isRemembered(request.projectRoot, request.script.meta.name, request.script.hash, homeOf(io))) {
    io.stderr(
      `approved earlier for this project (dynaflow remembers it in your home): ${request.script.meta.name}`,
    );
    return { approved: true, script: request.script, planned: undefined };
  }
  let current = request;
  let planned = await planRun(current, options.rehearsal, io.env);
  io.stderr(planned.card);
  if (!io.stdinIsTty || !io.stderrIsTty) {
    io.stderr('not approved: no terminal to ask in. Pass --yes to run without asking.');
    return { approved: false };
  }
  const prompter = (options.prompter ?? terminalPrompter)();
  try {
    for (;;) {
      const answer = (await prompter.ask(CHOICES)).trim().toLowerCase();
      if (answer === 'r' || answer === 'run' || answer === 'y' || answer === 'yes') {
        return { approved: true, script: current.script, planned };
      }
      if (answer === 'a' || answer === 'always') {
        const file = rememberApproval(
          current.projectRoot,
          current.script.meta.name,
          current.script.hash,
          homeOf(io),
        );
        io.stderr(
          `remembered in ${file}; "${current.script.meta.name}" runs without asking here until it changes`,
        );
        return { approved: true, script: current.script, planned };
      }
      if (answer === 'v' || answer === 'view') {
        io.stderr(numbered(current.script.text));
        continue;
      }
      if (answer === 'e' || answer === 'edit') {
        const edited = await editScript(io, current);
        if (!edited) continue;
        current = { ...current, script: edited };
        planned = await planRun(current, undefined, io.env);
        io.stderr(planned.card);
        continue;
      }
      io.stderr('not approved: nothing was run.');
      return { approved: false };
    }
  } finally {
    prompter.close();
  }
}

function numbered(text: string): string {
  const lines = text.split('\n');
  const width = String(lines.length).length;
  return lines.map((line, index) => `${String(index + 1).padStart(width)}  ${line}`).join('\n');
}

/**
 * Opens the script in $VISUAL/$EDITOR, then validates and reloads it. A built-in workflow is
 * copied into the project's `.dynaflow/workflows/` first: the package's copy is never edited.
 */
async function editScript(io: CliIo, request: PlanRequest): Promise<LoadedScript | undefined> {
  let file = request.script.path;
  if (path.resolve(file).startsWith(path.resolve(BUILT_IN_WORKFLOWS))) {
    const copy = path.join(request.projectRoot, '.dynaflow', 'workflows', path.basename(file));
    mkdirSync(path.dirname(copy), { recursive: true });
    copyFileSync(file, copy);
    io.stderr(`editing a project copy of the built-in workflow: ${copy}`);
    file = copy;
  }
  const editor = io.env.VISUAL || io.env.EDITOR || 'vi';
  const result = spawnSync(`${editor} ${JSON.stringify(file)}`, { shell: true, stdio: 'inherit' });
  if (result.status !== 0) {
    io.stderr(`the editor exited with ${result.status ?? result.signal}; the script was not reloaded`);
    return undefined;
  }
  try {
    const script = await loadScript(file);
    validateArgs(script.meta, request.args);
    return script;
  } catch (error) {
    if (!DynaflowError.isInstance(error)) throw error;
    io.stderr(`the edited script does not validate: ${error.code}: ${error.describe()}`);
    return undefined;
  }
}
