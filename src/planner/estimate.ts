/**
 * From a rehearsal to numbers a person can approve: agents, tokens and cost per phase and in
 * total. Prompt tokens are measured (the simulator counts ceil(chars/4) of what each agent sent,
 * with the prompt-cache split); output tokens cannot be known before the run, so they are a range
 * from each agent's schema size and `max_tokens`. Cost follows src/providers pricing.
 */
import { estimateCostUsd, modelFamily, type PricingContext, type Usage } from '../providers/index.js';
import type { RunLimits } from '../journal/index.js';
import type { WorkflowMeta } from '../script/index.js';
import type { Rehearsal, RehearsedCall } from './rehearsal.js';

/** A low..high range. */
export interface Range {
  readonly low: number;
  readonly high: number;
}

export interface PhaseEstimate {
  readonly title: string;
  readonly detail: string | undefined;
  readonly agents: number;
  readonly execs: number;
  /** Prompt tokens sent uncached, read from cache, and written to cache. */
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: Range;
  readonly costUsd: Range;
}

export interface PlanEstimate {
  readonly name: string;
  readonly description: string;
  readonly whenToUse: string | undefined;
  readonly phases: readonly PhaseEstimate[];
  readonly total: Omit<PhaseEstimate, 'title' | 'detail'>;
  /** Agents per model id. */
  readonly models: Readonly<Record<string, number>>;
  readonly worktreeAgents: number;
  readonly commands: readonly string[];
  readonly limits: RunLimits;
  /** The rehearsal stopped before the script's end: counts are a lower bound. */
  readonly incomplete: string | undefined;
  readonly warnings: readonly string[];
}

/** Phase of agents that ran before any `phase()` call and named none. */
export const NO_PHASE = '(no phase)';

/** Tokens of a JSON value, the simulator's and this estimate's rule: ceil(chars / 4). */
function tokensOf(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? '').length / 4);
}

/**
 * Output of one agent, as a range. A schema agent writes roughly its schema's size of JSON
 * (plus a little reasoning text); a free-text agent anything from a short note to a long report.
 * Both are capped by `max_tokens`, and never below what the rehearsal's answer took.
 */
export function outputRange(call: RehearsedCall, maxTokens: number): Range {
  const floor = call.usage.outputTokens;
  const schemaTokens = call.schema ? tokensOf(call.schema) : 0;
  const low = call.schema ? Math.max(40, Math.ceil(schemaTokens / 2)) : 150;
  const high = call.schema ? 4 * schemaTokens + 800 : 4_000;
  const cap = Math.max(maxTokens, floor);
  return { low: Math.min(cap, Math.max(floor, low)), high: Math.min(cap, Math.max(floor, high)) };
}

function usageWithOutput(usage: Usage, outputTokens: number): Usage {
  return { ...usage, outputTokens };
}

interface Tally {
  agents: number;
  execs: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputLow: number;
  outputHigh: number;
  costLow: number;
  costHigh: number;
}

const emptyTally = (): Tally => ({
  agents: 0,
  execs: 0,
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputLow: 0,
  outputHigh: 0,
  costLow: 0,
  costHigh: 0,
});

function addCall(tally: Tally, call: RehearsedCall, maxTokens: number, pricing?: PricingContext): void {
  if (call.kind === 'exec') {
    tally.execs += 1;
    return;
  }
  tally.agents += 1;
  const output = outputRange(call, maxTokens);
  tally.inputTokens += call.usage.inputTokens;
  tally.cacheReadTokens += call.usage.cacheReadTokens;
  tally.cacheWriteTokens += call.usage.cacheCreationTokens;
  tally.outputLow += output.low;
  tally.outputHigh += output.high;
  const model = call.model ?? '';
  tally.costLow += estimateCostUsd(model, usageWithOutput(call.usage, output.low), pricing);
  tally.costHigh += estimateCostUsd(model, usageWithOutput(call.usage, output.high), pricing);
}

function toEstimate(tally: Tally): Omit<PhaseEstimate, 'title' | 'detail'> {
  return {
    agents: tally.agents,
    execs: tally.execs,
    inputTokens: tally.inputTokens,
    cacheReadTokens: tally.cacheReadTokens,
    cacheWriteTokens: tally.cacheWriteTokens,
    outputTokens: { low: tally.outputLow, high: tally.outputHigh },
    costUsd: { low: tally.costLow, high: tally.costHigh },
  };
}

/**
 * @example
 * const plan = estimatePlan(script.meta, await rehearse({ script, args, projectRoot }), DEFAULT_LIMITS);
 * plan.total.agents; plan.total.costUsd.high;
 */
export function estimatePlan(
  meta: WorkflowMeta,
  rehearsal: Rehearsal,
  limits: RunLimits,
  /** The user's prices (settings `prices`), as the real run will charge them. */
  pricing?: PricingContext,
): PlanEstimate {
  // meta.phases first (in their order, even when empty), then any other phase as first seen.
  const order: string[] = (meta.phases ?? []).map((phase) => phase.title);
  for (const title of rehearsal.phases) if (!order.includes(title)) order.push(title);
  for (const call of rehearsal.calls) {
    const title = call.phase ?? NO_PHASE;
    if (!order.includes(title)) order.push(title);
  }
  const tallies = new Map(order.map((title) => [title, emptyTally()]));
  const total = emptyTally();
  const models: Record<string, number> = {};
  let worktreeAgents = 0;
  for (const call of rehearsal.calls) {
    addCall(tallies.get(call.phase ?? NO_PHASE)!, call, rehearsal.maxTokens, pricing);
    addCall(total, call, rehearsal.maxTokens, pricing);
    if (call.kind === 'agent') {
      const model = call.model ?? 'default';
      models[model] = (models[model] ?? 0) + 1;
      if (call.worktree) worktreeAgents += 1;
    }
  }
  const phases = order
    .map((title) => ({
      title,
      detail: meta.phases?.find((phase) => phase.title === title)?.detail,
      ...toEstimate(tallies.get(title)!),
    }))
    // A phase() the script entered without starting anything in it is noise on the card.
    .filter((phase) => phase.agents + phase.execs > 0 || meta.phases?.some((p) => p.title === phase.title));
  return {
    name: meta.name,
    description: meta.description,
    whenToUse: meta.whenToUse,
    phases,
    total: toEstimate(total),
    models,
    worktreeAgents,
    commands: rehearsal.commands.map((entry) =>
      entry.cwd === '.' ? entry.command : `${entry.command}  (in ${entry.cwd})`,
    ),
    limits,
    incomplete:
      rehearsal.status === 'done'
        ? undefined
        : `the rehearsal stopped early (${rehearsal.error?.code ?? rehearsal.status}: ${rehearsal.error?.message ?? ''}); counts are a lower bound`,
    warnings: rehearsal.warnings,
  };
}

/** A model id shown by its family when it has one: `sonnet (claude-sonnet-4-5)`. */
export function describeModel(modelId: string): string {
  const family = modelFamily(modelId);
  return family && family !== modelId ? `${family} (${modelId})` : modelId;
}
