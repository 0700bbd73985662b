/**
 * `dynaflow show ID [--json] [--agent LABEL]` — one run: its header and result, then per phase
 * every agent/exec call with status, model, tokens, cost, attempts, duration, tool calls and
 * whether it was answered from another run (`--reuse`) or made live; totals per phase and run.
 */
import { EXIT } from '../../errors/index.js';
import {
  openJournal,
  resolveStateDir,
  type CallRecord,
  type CallStatus,
  type LockHolder,
  type RunRecord,
} from '../../journal/index.js';
import type { Usage } from '../../providers/index.js';
import type { CliIo } from '../context.js';
import { renderAgentTranscript } from '../transcript-view.js';

export interface ShowFlags {
  readonly json?: boolean;
  readonly agent?: string;
  readonly stateDir?: string;
}

export interface Totals {
  readonly calls: number;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Share of prompt tokens read from the provider's cache (0..1); null when no prompt tokens. */
  readonly cacheHitShare: number | null;
}

export interface CallView {
  readonly callKey: string;
  readonly kind: CallRecord['kind'];
  readonly label: string;
  readonly status: CallStatus;
  readonly model: string | null;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly attempts: number;
  readonly toolCalls: number;
  readonly durationMs: number | null;
  /** The run whose completion answered this call, or null when this run made it (live). */
  readonly reusedFrom: string | null;
  readonly error: string | null;
  readonly worktree: string | null;
  readonly branch: string | null;
}

export interface PhaseView {
  /** null for calls made before any `phase()`. */
  readonly title: string | null;
  readonly calls: readonly CallView[];
  readonly totals: Totals;
}

export interface RunView {
  readonly run: Omit<RunRecord, 'scriptText' | 'resultJson'> & { readonly result: unknown };
  readonly driver: LockHolder | null;
  readonly phases: readonly PhaseView[];
  readonly totals: Totals & {
    readonly byStatus: Readonly<Record<CallStatus, number>>;
    readonly reused: number;
    readonly live: number;
  };
}

const ZERO: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };
const STATUSES: readonly CallStatus[] = ['done', 'failed', 'skipped', 'interrupted', 'running'];

export async function showCommand(
  io: CliIo,
  projectRoot: string,
  runId: string,
  flags: ShowFlags,
): Promise<number> {
  const stateDir = resolveStateDir(projectRoot, flags.stateDir);
  const journal = openJournal({ stateDir, readonly: true });
  let view: RunView;
  try {
    const run = journal.requireRun(runId);
    view = buildRunView(run, journal.listCalls(runId), journal.lockHolder(runId));
  } finally {
    journal.close();
  }
  if (flags.agent !== undefined) return renderAgentTranscript(io, stateDir, runId, flags.agent);
  io.stdout(flags.json ? `${JSON.stringify(view, null, 2)}\n` : renderRunView(view, Date.now()));
  return EXIT.done;
}

/** Groups calls by phase (in the order phases first appear) and adds everything up. */
export function buildRunView(
  run: RunRecord,
  calls: readonly CallRecord[],
  driver: LockHolder | null,
): RunView {
  const groups = new Map<string | null, CallView[]>();
  for (const call of calls) {
    const group = groups.get(call.phase) ?? [];
    group.push(callView(call));
    groups.set(call.phase, group);
  }
  const phases = [...groups].map(([title, views]) => ({ title, calls: views, totals: totalsOf(views) }));
  const all = phases.flatMap((phase) => phase.calls);
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<CallStatus, number>;
  for (const call of all) byStatus[call.status] += 1;
  const reused = all.filter((call) => call.reusedFrom !== null).length;
  const { scriptText: _script, resultJson, ...header } = run;
  return {
    run: { ...header, result: resultJson === null ? null : (JSON.parse(resultJson) as unknown) },
    driver,
    phases,
    totals: { ...totalsOf(all), byStatus, reused, live: all.length - reused },
  };
}

function callView(call: CallRecord): CallView {
  const started = Date.parse(call.startedAt);
  const ended = call.endedAt === null ? Number.NaN : Date.parse(call.endedAt);
  return {
    callKey: call.callKey,
    kind: call.kind,
    label: call.label,
    status: call.status,
    model: call.model,
    usage: call.usage,
    costUsd: call.costUsd,
    attempts: call.attempts,
    toolCalls: call.toolCalls,
    durationMs: Number.isFinite(ended - started) ? Math.max(0, ended - started) : null,
    reusedFrom: call.reusedFrom,
    error: call.error,
    worktree: call.worktree,
    branch: call.branch,
  };
}

export function totalsOf(calls: readonly { usage: Usage; costUsd: number }[]): Totals {
  const usage = { ...ZERO };
  let costUsd = 0;
  for (const call of calls) {
    usage.inputTokens += call.usage.inputTokens;
    usage.outputTokens += call.usage.outputTokens;
    usage.cacheReadTokens += call.usage.cacheReadTokens;
    usage.cacheCreationTokens += call.usage.cacheCreationTokens;
    costUsd += call.costUsd;
  }
  return { calls: calls.length, usage, costUsd, cacheHitShare: cacheHitShare(usage) };
}

export function cacheHitShare(usage: Usage): number | null {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
  return prompt === 0 ? null : usage.cacheReadTokens / prompt;
}

// ---- human rendering ----

const MARK: Record<CallStatus, string> = {
  done: '✓',
  failed: '✗',
  skipped: '–',
  interrupted: '!',
  running: '…',
};

export function renderRunView(view: RunView, nowMs: number): string {
  const { run } = view;
  const lines: string[] = [];
  const limits = run.limits;
  lines.push(`run ${run.id}  ${describeStatus(run.status, view.driver)}`);
  lines.push(`  script    ${run.scriptPath}`);
  lines.push(`  provider  ${run.provider}, model ${run.model}`);
  lines.push(
    `  limits    concurrency ${limits.concurrency}, max agents ${limits.maxAgents}, budget ${limits.budgetTokens ?? 'none'} output tokens, max cost ${limits.maxCostUsd === null ? 'none' : formatCost(limits.maxCostUsd)}`,
  );
  lines.push(
    `  started   ${run.createdAt} (${formatAge(nowMs - Date.parse(run.createdAt))} ago), updated ${run.updatedAt}`,
  );
  if (run.reuseFrom !== null) lines.push(`  reuses    ${run.reuseFrom}`);
  if (run.error !== null) lines.push(`  error     ${run.error.replaceAll('\n', '\n            ')}`);
  for (const phase of view.phases) {
    lines.push('');
    lines.push(`▶ ${phase.title ?? '(no phase)'} — ${describeTotals(phase.totals)}`);
    for (const call of phase.calls) lines.push(renderCall(call));
  }
  const totals = view.totals;
  const counts = STATUSES.filter((status) => totals.byStatus[status] > 0)
    .map((status) => `${totals.byStatus[status]} ${status}`)
    .join(', ');
  lines.push('');
  lines.push(
    `total: ${totals.calls} calls (${counts || 'none'}; ${totals.reused} reused, ${totals.live} live)`,
  );
  lines.push(`       ${describeTotals(totals)}`);
  lines.push('');
  lines.push(run.result === null ? 'result: (none)' : `result:\n${JSON.stringify(run.result, null, 2)}`);
  return `${lines.join('\n')}\n`;
}

function renderCall(call: CallView): string {
  const tokens = `in ${formatCount(call.usage.inputTokens)} / out ${formatCount(call.usage.outputTokens)} / cache r ${formatCount(call.usage.cacheReadTokens)} w ${formatCount(call.usage.cacheCreationTokens)}`;
  const origin = call.reusedFrom === null ? 'live' : `reused from ${call.reusedFrom}`;
  const duration = call.durationMs === null ? '—' : formatDuration(call.durationMs);
  const head = `  ${MARK[call.status]} ${call.label} [${call.kind === 'exec' ? 'exec' : (call.model ?? 'default')}] ${call.status}`;
  const detail = `${tokens}, ${formatCost(call.costUsd)}, ${call.attempts} attempt${call.attempts === 1 ? '' : 's'}, ${duration}, ${call.toolCalls} tool call${call.toolCalls === 1 ? '' : 's'}, ${origin}`;
  const error = call.error === null ? '' : `\n      error: ${call.error}`;
  const branch = call.branch === null ? '' : `\n      branch: ${call.branch}`;
  return `${head}\n      ${detail}${error}${branch}`;
}

function describeTotals(totals: Totals): string {
  const usage = totals.usage;
  const share = totals.cacheHitShare === null ? '—' : `${Math.round(totals.cacheHitShare * 100)}%`;
  return `${totals.calls} calls, in ${formatCount(usage.inputTokens)} / out ${formatCount(usage.outputTokens)} / cache r ${formatCount(usage.cacheReadTokens)} w ${formatCount(usage.cacheCreationTokens)} tokens, cache hits ${share}, ${formatCost(totals.costUsd)}`;
}

/** `running` only while a live process drives the run; a run whose driver died reads `killed`. */
export function describeStatus(status: RunRecord['status'], driver: LockHolder | null): string {
  if (status !== 'running') return status;
  return driver === null
    ? 'killed (no live driver; resume it)'
    : `running (pid ${driver.pid} on ${driver.host})`;
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatCount(count: number): string {
  if (count < 1_000) return String(count);
  if (count < 1_000_000) return `${(count / 1_000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return formatAge(ms);
}

export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1_000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.round(seconds / 3_600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}
