/**
 * The plan card and the question before any agent runs. (The rehearsal-based estimate of
 * agents, tokens and cost plugs in here.)
 */
import { createInterface } from 'node:readline/promises';
import type { RunLimits } from '../journal/index.js';
import type { LoadedScript } from '../script/index.js';
import { DEFAULT_LIMITS } from '../runtime/index.js';
import type { CliIo } from './context.js';

export function renderPlanCard(script: LoadedScript, limits: Partial<RunLimits>): string {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  const lines = [
    `┌ ${script.meta.name} — ${script.meta.description}`,
    ...(script.meta.whenToUse ? [`│ when to use: ${script.meta.whenToUse}`] : []),
    ...(script.meta.phases ?? []).map(
      (phase, index) => `│ ${index + 1}. ${phase.title}${phase.detail ? ` — ${phase.detail}` : ''}`,
    ),
    `│ concurrency ${merged.concurrency}, at most ${merged.maxAgents} agents` +
      `${merged.budgetTokens !== null ? `, budget ${merged.budgetTokens} output tokens` : ''}` +
      `${merged.maxCostUsd !== null ? `, max cost $${merged.maxCostUsd}` : ''}`,
    `└ ${script.path}`,
  ];
  return lines.join('\n');
}

export async function askApproval(
  io: CliIo,
  script: LoadedScript,
  limits: Partial<RunLimits>,
): Promise<boolean> {
  io.stderr(renderPlanCard(script, limits));
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question('Run it? [y/N] ');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    readline.close();
  }
}
