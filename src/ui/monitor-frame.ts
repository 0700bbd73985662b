/**
 * One screen of the monitor as styled lines — pure, so what the user sees is testable without a
 * terminal. The ink component only paints these lines and handles keys.
 */
import {
  liveUsage,
  runningAgents,
  stuckAgents,
  totals,
  type AgentView,
  type MonitorState,
  type PhaseView,
} from './monitor-state.js';

export interface FrameLine {
  readonly text: string;
  readonly color?: 'green' | 'yellow' | 'red' | 'cyan' | 'gray' | 'magenta';
  readonly bold?: boolean;
  readonly inverse?: boolean;
}

export interface MonitorView {
  mode: 'overview' | 'transcript';
  /** Call key of the selected running agent. */
  selected: string | undefined;
  /** A one-line answer to the last key (paused, saved as …). */
  message: string | undefined;
}

export interface FrameOptions {
  readonly now: number;
  readonly columns: number;
  readonly rows: number;
  readonly paused: boolean;
  /** Agents waiting for a slot, when known. */
  readonly queued: number | undefined;
  readonly silenceMs: number;
  /** Keys that act on the run (p, k, c) are offered only with a live control. */
  readonly canControl: boolean;
  readonly canSave: boolean;
  /** Attached from another process (`dynaflow monitor ID`). */
  readonly attached: boolean;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const two = (value: number): string => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes % 60)}:${two(seconds % 60)}` : `${minutes}:${two(seconds % 60)}`;
}

export function formatCount(count: number): string {
  if (count < 1_000) return String(count);
  if (count < 1_000_000) return `${(count / 1_000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

function usd(amount: number): string {
  return amount < 0.01 && amount > 0 ? '<$0.01' : `$${amount.toFixed(2)}`;
}

function bar(done: number, total: number, width: number): string {
  const filled = total === 0 ? 0 : Math.round((Math.min(done, total) / total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

function shortModel(model: string | null): string {
  if (!model) return '';
  return model.replace(/^claude-/, '');
}

function phaseLine(phase: PhaseView, current: boolean): FrameLine {
  const finished = phase.done + phase.failed + phase.skipped + phase.interrupted;
  const total = Math.max(phase.expected ?? 0, finished + phase.running);
  const counts = [
    `${finished}/${total}`,
    phase.running ? `${phase.running} running` : '',
    phase.failed ? `${phase.failed} failed` : '',
    phase.skipped ? `${phase.skipped} skipped` : '',
    phase.interrupted ? `${phase.interrupted} interrupted` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const complete = total > 0 && finished >= total && phase.running === 0;
  return {
    text: `${current ? '▶' : complete ? '✓' : ' '} ${phase.title.padEnd(16).slice(0, 16)} ${bar(finished, total, 20)} ${counts}`,
    ...(complete ? { color: 'green' as const } : current ? { bold: true } : {}),
  };
}

function agentLine(agent: AgentView, selected: boolean, now: number, silenceMs: number): FrameLine {
  const silent = now - agent.lastEventAt;
  const tokens = agent.usage.inputTokens + agent.usage.cacheReadTokens + agent.usage.cacheCreationTokens;
  const parts = [
    `${selected ? '›' : ' '} ${agent.label.slice(0, 34).padEnd(34)}`,
    shortModel(agent.model).padEnd(14).slice(0, 14),
    formatDuration(now - agent.startedAt).padStart(6),
    `${formatCount(tokens)} in/${formatCount(agent.usage.outputTokens)} out`.padStart(16),
    `${agent.toolCalls} tools${agent.lastTool ? ` (last ${agent.lastTool})` : ''}`,
  ];
  const stuck = agent.kind === 'agent' && silent >= silenceMs;
  if (stuck) parts.push(`⚠ silent ${formatDuration(silent)}`);
  return {
    text: parts.join('  '),
    ...(stuck ? { color: 'yellow' as const } : {}),
    ...(selected ? { inverse: true } : {}),
  };
}

function header(state: MonitorState, options: FrameOptions): FrameLine[] {
  const elapsed = (state.endedAt ?? options.now) - state.startedAt;
  const count = totals(state);
  const usage = liveUsage(state);
  const inTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
  const budget =
    state.budgetTokens === null
      ? ''
      : ` · budget ${formatCount(usage.outputTokens)}/${formatCount(state.budgetTokens)} out`;
  const maxCost = state.maxCostUsd === null ? '' : ` (max ${usd(state.maxCostUsd)})`;
  const status = options.paused ? 'PAUSED' : state.status;
  return [
    {
      text: `dynaflow ▸ ${state.name}${state.runId ? `  ${state.runId}` : ''}  ${status}  ${formatDuration(elapsed)}`,
      bold: true,
      ...(options.paused ? { color: 'yellow' as const } : {}),
    },
    {
      text:
        `agents ${count.done} done · ${count.running} running · ${count.failed} failed · ${count.skipped} skipped` +
        `${options.queued !== undefined ? ` · ${options.queued} queued` : ''} · ${state.reused} from journal`,
    },
    {
      text: `tokens ${formatCount(inTokens)} in / ${formatCount(usage.outputTokens)} out${budget} · cost ${usd(state.costUsd)}${maxCost}`,
      color: 'gray',
    },
  ];
}

function keysLine(options: FrameOptions, mode: MonitorView['mode']): FrameLine {
  if (mode === 'transcript') return { text: 'Enter/Esc back · ↑↓ other agent · q detach', color: 'gray' };
  const keys = ['↑↓ select', 'Enter transcript'];
  if (options.canControl) keys.push(options.paused ? 'p resume' : 'p pause', 'k skip', 'c cancel');
  if (options.canSave) keys.push('s save as command');
  keys.push(options.attached ? 'q quit' : 'q detach');
  return { text: keys.join(' · '), color: 'gray' };
}

/** The selected running agent: the remembered one while it runs, else the first running. */
export function selectedAgent(state: MonitorState, view: MonitorView): AgentView | undefined {
  const running = runningAgents(state);
  return running.find((agent) => agent.callKey === view.selected) ?? running[0];
}

/**
 * @example
 * const lines = monitorFrame(state, { mode: 'overview', selected: undefined, message: undefined }, options);
 */
export function monitorFrame(state: MonitorState, view: MonitorView, options: FrameOptions): FrameLine[] {
  const lines: FrameLine[] = [...header(state, options), { text: '' }];
  const selected =
    view.mode === 'transcript' ? state.agents.get(view.selected ?? '') : selectedAgent(state, view);
  if (view.mode === 'transcript' && selected) {
    lines.push({ text: `Transcript of ${selected.label} (${selected.state})`, bold: true });
    const room = Math.max(3, options.rows - lines.length - 3);
    const text = selected.transcript.trim() || '(nothing streamed yet)';
    const wrapped = text.split('\n').flatMap((line) => wrap(line, Math.max(20, options.columns - 2)));
    for (const line of wrapped.slice(-room)) lines.push({ text: line });
  } else {
    lines.push({ text: 'Phases', bold: true });
    for (const phase of state.phases) lines.push(phaseLine(phase, phase.title === state.currentPhase));
    lines.push({ text: '' });
    const running = runningAgents(state);
    lines.push({ text: `Running agents (${running.length})`, bold: true });
    const logRoom = Math.min(5, state.logs.length + state.warnings.length);
    const agentRoom = Math.max(1, options.rows - lines.length - logRoom - 5);
    if (running.length === 0) lines.push({ text: '  (none running)', color: 'gray' });
    // Scroll so that the selected agent stays in view.
    const start = Math.max(0, running.findIndex((agent) => agent === selected) - agentRoom + 1);
    for (const agent of running.slice(start, start + agentRoom)) {
      lines.push(agentLine(agent, agent === selected, options.now, options.silenceMs));
    }
    if (running.length > agentRoom)
      lines.push({ text: `  … ${running.length - agentRoom} more`, color: 'gray' });
    const stuck = stuckAgents(state, options.now, options.silenceMs);
    if (stuck.length > 0) {
      lines.push({
        text: `⚠ ${stuck.length} agent(s) silent for ${formatDuration(options.silenceMs)}+: ${stuck.map((a) => a.label).join(', ')}`,
        color: 'yellow',
      });
    }
    if (logRoom > 0) {
      lines.push({ text: '' });
      const narrative = [
        ...state.logs.map((line) => ({ text: `  ${line}` })),
        ...state.warnings.map((line) => ({ text: `  warning: ${line}`, color: 'yellow' as const })),
      ];
      lines.push(...narrative.slice(-logRoom));
    }
  }
  lines.push({ text: '' });
  lines.push(keysLine(options, view.mode));
  if (view.message) lines.push({ text: view.message, color: 'cyan' });
  return lines.map((line) => ({ ...line, text: line.text.slice(0, Math.max(10, options.columns - 1)) }));
}

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const pieces: string[] = [];
  for (let at = 0; at < line.length; at += width) pieces.push(line.slice(at, at + width));
  return pieces;
}
