/**
 * The plan card as text: what the workflow is, what it will start per phase, what that may cost,
 * under which limits, and what it will run on the machine. Shown on stderr before any agent runs.
 */
import { describeModel, type PlanEstimate, type Range } from './estimate.js';

export interface PlanCardContext {
  /** Where the script lives. */
  readonly scriptPath: string;
  /** The provider the real run will use (`anthropic`, `sim`, …). */
  readonly provider: string;
  /** What the settings in force will start and change; shown so nothing happens unseen. */
  readonly configuration?: PlanCardConfiguration;
}

export interface PlanCardConfiguration {
  /** Every MCP server that will start: `name: command args` or its URL. */
  readonly mcpServers: readonly string[];
  /** Model remappings in force: `sonnet → claude-…`. */
  readonly modelRemaps: readonly string[];
  /** Price overrides in force (they decide what `--max-cost` counts). */
  readonly priceOverrides: readonly string[];
  /** The folder's own configuration left out because the folder is not trusted. */
  readonly untrusted: readonly string[];
  /** How agents' commands, `exec()` and MCP servers run (the OS sandbox, or why not). */
  readonly sandbox?: string;
}

function configurationLines(configuration: PlanCardConfiguration | undefined): string[] {
  if (!configuration) return [];
  const list = (label: string, items: readonly string[]): string[] =>
    items.length === 0 ? [] : [`${label} (${items.length}): ${items.join(' · ')}`];
  return [
    ...(configuration.sandbox ? [`commands: ${configuration.sandbox}`] : []),
    configuration.mcpServers.length === 0
      ? 'MCP servers: none start'
      : `MCP servers that will start (${configuration.mcpServers.length}): ${configuration.mcpServers.join(' · ')}`,
    ...list('model remappings', configuration.modelRemaps),
    ...list('price overrides', configuration.priceOverrides),
    ...list('not trusted, left out (dynaflow trust)', configuration.untrusted),
  ];
}

export function formatTokens(count: number): string {
  if (count < 1_000) return String(Math.round(count));
  if (count < 100_000) return `${(count / 1_000).toFixed(1)}k`;
  if (count < 1_000_000) return `${Math.round(count / 1_000)}k`;
  return `${(count / 1_000_000).toFixed(2)}M`;
}

export function formatUsd(amount: number): string {
  if (amount === 0) return '$0';
  if (amount < 0.01) return '<$0.01';
  return `$${amount.toFixed(2)}`;
}

function formatRange(range: Range, format: (value: number) => string): string {
  const low = format(range.low);
  const high = format(range.high);
  return low === high ? low : `${low}–${high}`;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!)))
    .join('  ');
}

/**
 * @example
 * process.stderr.write(renderPlanCard(estimatePlan(meta, rehearsal, limits), { scriptPath, provider: 'anthropic' }));
 */
export function renderPlanCard(plan: PlanEstimate, context: PlanCardContext): string {
  const header = ['phase', 'agents', 'prompt tokens', 'output tokens', 'est. cost'];
  const body = plan.phases.map((phase) => [
    phase.title,
    String(phase.agents) + (phase.execs ? ` +${phase.execs} exec` : ''),
    formatTokens(phase.inputTokens + phase.cacheReadTokens + phase.cacheWriteTokens),
    formatRange(phase.outputTokens, formatTokens),
    formatRange(phase.costUsd, formatUsd),
  ]);
  const total = plan.total;
  const totalRow = [
    'total',
    String(total.agents) + (total.execs ? ` +${total.execs} exec` : ''),
    formatTokens(total.inputTokens + total.cacheReadTokens + total.cacheWriteTokens),
    formatRange(total.outputTokens, formatTokens),
    formatRange(total.costUsd, formatUsd),
  ];
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body, totalRow].map((cells) => cells[column]!.length)),
  );
  const limits = plan.limits;
  const models = Object.entries(plan.models)
    .map(([model, count]) => `${describeModel(model)} ×${count}`)
    .join(', ');
  const lines = [
    `${plan.name} — ${plan.description}`,
    ...(plan.whenToUse ? [`when to use: ${plan.whenToUse}`] : []),
    '',
    row(header, widths),
    ...body.map((cells) => row(cells, widths)),
    row(totalRow, widths),
    '',
    `${total.agents} agents${models ? ` on ${models}` : ''} via ${context.provider}`,
    `cache: ~${formatTokens(total.cacheReadTokens)} read, ~${formatTokens(total.cacheWriteTokens)} written`,
    `limits: concurrency ${limits.concurrency}, at most ${limits.maxAgents} agents, ` +
      `budget ${limits.budgetTokens === null ? 'none' : `${formatTokens(limits.budgetTokens)} output tokens`}, ` +
      `max cost ${limits.maxCostUsd === null ? 'none' : formatUsd(limits.maxCostUsd)}`,
    `worktree agents: ${plan.worktreeAgents}`,
    plan.commands.length === 0
      ? 'exec: none'
      : `exec (${plan.commands.length}): ${[...new Set(plan.commands)].join(' · ')}`,
    ...configurationLines(context.configuration),
    ...(limits.budgetTokens !== null && total.outputTokens.high > limits.budgetTokens
      ? [`note: the output estimate may exceed the budget (${formatTokens(limits.budgetTokens)})`]
      : []),
    ...(plan.incomplete ? [`note: ${plan.incomplete}`] : []),
    ...plan.warnings.map((warning) => `warning: ${warning}`),
    '',
    `${context.scriptPath}`,
    'counted by a rehearsal on the simulator (no request was sent); output and cost are ranges',
  ];
  const width = Math.min(110, Math.max(...lines.map((line) => line.length)));
  return [`┌${'─'.repeat(width + 1)}`, ...lines.map((line) => `│ ${line}`), `└${'─'.repeat(width + 1)}`].join(
    '\n',
  );
}
