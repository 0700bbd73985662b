/**
 * `dynaflow ultracode "TASK"`: a planner agent (strong model, high effort) turns a task into a
 * workflow script. It gets the script API, a bounded listing of the project and read-only tools;
 * it must answer `{ name, description, script }` through StructuredOutput. Each answer is checked
 * — syntax, meta, known globals, then a rehearsal on the simulator — and what fails goes back to
 * the planner for repair, a bounded number of rounds.
 */
import { runAgent, type AgentTool } from '../agent/index.js';
import { ScriptError } from '../errors/index.js';
import { addUsage, ZERO_USAGE, type ModelProvider, type Usage } from '../providers/index.js';
import { Scheduler, type Clock } from '../scheduler/index.js';
import { parseScript, validateScript, type LoadedScript } from '../script/index.js';
import { createPermissionPolicy, EXPLORE } from '../settings/index.js';
import { createTools } from '../tools/index.js';
import type { Rehearsal } from './rehearsal.js';
import { repoListing } from './repo-context.js';
import { SCRIPT_API_REFERENCE } from './script-reference.js';

export const PLANNER_SCHEMA = {
  type: 'object',
  required: ['name', 'description', 'script'],
  properties: {
    name: { type: 'string', description: 'kebab-case command name, equal to meta.name' },
    description: { type: 'string', description: 'one line: what the workflow does' },
    script: { type: 'string', description: 'the complete workflow script (JavaScript), starting with meta' },
  },
} as const;

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface PlannerRequest {
  readonly task: string;
  readonly provider: ModelProvider;
  readonly projectRoot: string;
  /** Default `opus`. */
  readonly model?: string;
  /** Answers that fail validation are sent back this many times at most (default 3 rounds in all). */
  readonly maxRounds?: number;
  /** The rehearsal step of validation (the CLI passes `rehearse` bound to its settings). */
  readonly rehearse: (script: LoadedScript) => Promise<Rehearsal>;
  /** Read-only tools for the planner to look around (default: Read, Glob, Grep, read-only Bash). */
  readonly tools?: readonly AgentTool[];
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
}

export interface PlannedWorkflow {
  readonly script: LoadedScript;
  readonly rehearsal: Rehearsal;
  /** Planner answers it took (1 = the first was valid). */
  readonly rounds: number;
  /** The validation errors sent back, one list per rejected answer. */
  readonly repairs: readonly (readonly string[])[];
  readonly usage: Usage;
}

interface Candidate {
  readonly name: string;
  readonly description: string;
  readonly script: string;
}

/**
 * @example
 * const planned = await planWorkflow({ task: 'fix the flaky tests', provider, projectRoot,
 *   rehearse: (script) => rehearse({ script, args: undefined, projectRoot }) });
 * saveWorkflowCommand(projectRoot, planned.script.meta.name, planned.script.text);
 */
export async function planWorkflow(request: PlannerRequest): Promise<PlannedWorkflow> {
  const maxRounds = request.maxRounds ?? 3;
  const scheduler = new Scheduler({ concurrency: 1, ...(request.clock ? { clock: request.clock } : {}) });
  const signal = request.signal ?? new AbortController().signal;
  const tools =
    request.tools ??
    createTools({
      workspace: request.projectRoot,
      permissions: createPermissionPolicy({}),
      agentType: EXPLORE,
    });
  const system = [
    { text: `${SCRIPT_API_REFERENCE}\n\n${PLANNER_INSTRUCTIONS}`, cache: true },
    { text: `The project (a bounded listing of its tree):\n${repoListing(request.projectRoot)}` },
  ];
  const repairs: string[][] = [];
  let usage = ZERO_USAGE;
  let previous: Candidate | undefined;
  for (let round = 1; round <= maxRounds; round++) {
    request.onProgress?.(
      round === 1 ? 'planner: writing a workflow for the task' : `planner: repairing (round ${round})`,
    );
    const outcome = await runAgent(
      {
        prompt: plannerPrompt(request.task, previous, repairs.at(-1)),
        model: request.provider.resolveModel(request.model ?? 'opus'),
        system,
        tools,
        schema: PLANNER_SCHEMA,
        effort: 'high',
        maxTokens: 32_000,
        label: 'planner',
      },
      {
        signal,
        workspace: request.projectRoot,
        send: async (modelRequest, options) =>
          (await scheduler.send(() => request.provider.createMessage(modelRequest, options), { signal }))
            .value,
      },
    );
    usage = addUsage(usage, outcome.usage);
    if (!outcome.ok) throw outcome.error;
    const candidate = readCandidate(outcome.value);
    const checked = await checkCandidate(candidate, request);
    if (checked.ok) {
      return { script: checked.script, rehearsal: checked.rehearsal, rounds: round, repairs, usage };
    }
    request.onProgress?.(`planner: the script did not validate: ${checked.errors.join('; ')}`);
    repairs.push(checked.errors);
    previous = candidate;
  }
  throw new ScriptError(
    'PLAN_INVALID',
    `the planner's script still failed validation after ${maxRounds} rounds: ${repairs.at(-1)?.join('; ') ?? ''}`,
    {
      hint: 'rephrase the task more concretely, or write the workflow yourself (see README, "Writing a workflow")',
    },
  );
}

const PLANNER_INSTRUCTIONS = `
You are the planner of dynaflow. You receive a task. First build a task map: what the units of
work are (files, modules, findings), which can run in parallel, what must be verified. Then write
ONE workflow script that carries the task out with agents, following the reference above exactly.
Use the read-only tools only if you need a few facts about the project; do not change anything.
Answer by calling StructuredOutput with { name, description, script }: name is kebab-case and
equal to meta.name, description equals meta.description, script is the complete file. The script
runs without args, so discover the work items with agents instead of expecting args.
`.trim();

function plannerPrompt(
  task: string,
  previous: Candidate | undefined,
  errors: readonly string[] | undefined,
): string {
  const base = `Task:\n${task}`;
  if (!previous || !errors) return base;
  return [
    base,
    '',
    'Your previous script failed validation:',
    ...errors.map((error) => `- ${error}`),
    '',
    'Previous script:',
    previous.script,
    '',
    'Return the corrected workflow (the whole script again).',
  ].join('\n');
}

function readCandidate(value: unknown): Candidate {
  const record = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof record[key] === 'string' ? record[key] : '');
  return { name: text('name'), description: text('description'), script: text('script') };
}

type Checked =
  | { readonly ok: true; readonly script: LoadedScript; readonly rehearsal: Rehearsal }
  | { readonly ok: false; readonly errors: string[] };

/** Syntax, meta and known globals first (cheap, positioned), then a rehearsal of the script. */
async function checkCandidate(candidate: Candidate, request: PlannerRequest): Promise<Checked> {
  const file = `${candidate.name || 'planned'}.workflow.js`;
  const { errors } = validateScript(candidate.script, file);
  if (errors.length > 0) {
    return { ok: false, errors: errors.map((error) => `${error.line}:${error.column} ${error.message}`) };
  }
  let script: LoadedScript;
  try {
    script = parseScript(candidate.script, file);
  } catch (error) {
    return { ok: false, errors: [error instanceof Error ? error.message : String(error)] };
  }
  if (!NAME_PATTERN.test(script.meta.name)) {
    return {
      ok: false,
      errors: [`meta.name "${script.meta.name}" must be kebab-case (lowercase letters, digits, dashes)`],
    };
  }
  const rehearsal = await request.rehearse(script);
  if (rehearsal.status === 'failed') {
    const error = rehearsal.error;
    const where = error?.location ? `${error.location.line}:${error.location.column} ` : '';
    return {
      ok: false,
      errors: [`rehearsal failed: ${where}${error?.code ?? 'failed'}: ${error?.message ?? ''}`],
    };
  }
  if (!rehearsal.calls.some((call) => call.kind === 'agent')) {
    return { ok: false, errors: ['the script starts no agent when run without args'] };
  }
  return { ok: true, script, rehearsal };
}
