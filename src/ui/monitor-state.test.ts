/**
 * MO-0*: the monitor's model and screen: counts per phase move with events, running agents show
 * their live numbers, silent agents are flagged, the journal rebuilds the same picture.
 */
import { describe, expect, it } from 'vitest';
import { openMemoryJournal } from '../journal/index.js';
import { ZERO_USAGE, type Usage } from '../providers/index.js';
import type { RunEvent } from '../runtime/index.js';
import { monitorStateFromJournal } from './journal-state.js';
import { monitorFrame, type FrameOptions, type MonitorView } from './monitor-frame.js';
import { applyRunEvent, createMonitorState, liveUsage, stuckAgents, totals } from './monitor-state.js';

const usage = (input: number, output: number): Usage => ({
  ...ZERO_USAGE,
  inputTokens: input,
  outputTokens: output,
});
const start = (callKey: string, label: string, phase: string | null): RunEvent => ({
  type: 'agent-start',
  callKey,
  kind: 'agent',
  label,
  phase,
  model: 'claude-sonnet-4-5',
});
const end = (
  callKey: string,
  label: string,
  phase: string,
  status: 'done' | 'failed' | 'skipped',
  reused = false,
): RunEvent => ({
  type: 'agent-end',
  callKey,
  kind: 'agent',
  label,
  phase,
  status,
  reused,
  usage: usage(100, 20),
  error: status === 'failed' ? 'boom' : null,
});

const OVERVIEW: MonitorView = { mode: 'overview', selected: undefined, message: undefined };
const options = (now: number): FrameOptions => ({
  now,
  columns: 140,
  rows: 40,
  paused: false,
  queued: 2,
  silenceMs: 60_000,
  canControl: true,
  canSave: true,
  attached: false,
});

function feed(events: RunEvent[], at = 1_000) {
  const state = createMonitorState({
    name: 'demo',
    startedAt: 0,
    phases: [{ title: 'Map' }, { title: 'Review' }],
    expected: { Review: 4 },
    budgetTokens: 1_000,
  });
  for (const event of events) applyRunEvent(state, event, at);
  return state;
}

describe('monitor state', () => {
  it('MO-01 counts per phase follow the events: running, done, failed, skipped, reused', () => {
    const state = feed([
      { type: 'run-start', runId: 'wf_x', name: 'demo', resumed: false },
      { type: 'phase-start', title: 'Map' },
      end('k0', 'map', 'Map', 'done', true),
      { type: 'phase-start', title: 'Review' },
      start('k1', 'review:a', 'Review'),
      start('k2', 'review:b', 'Review'),
      start('k3', 'review:c', 'Review'),
      end('k2', 'review:b', 'Review', 'failed'),
      end('k3', 'review:c', 'Review', 'skipped'),
      { type: 'log', message: '3 modules' },
    ]);
    const review = state.phases.find((phase) => phase.title === 'Review')!;
    expect(review).toMatchObject({ running: 1, done: 0, failed: 1, skipped: 1, expected: 4 });
    expect(totals(state)).toMatchObject({ done: 1, running: 1, failed: 1, skipped: 1 });
    expect(state.reused).toBe(1);
    // Reused calls cost nothing now; the two live ends do.
    expect(state.usage.outputTokens).toBe(40);
  });

  it('MO-02 a running agent shows tokens, tool calls and its last tool before it finishes', () => {
    const state = feed([
      start('k1', 'review:a', 'Review'),
      { type: 'agent-tool', callKey: 'k1', tool: 'Read' },
      { type: 'agent-tool', callKey: 'k1', tool: 'Grep' },
      { type: 'agent-turn', callKey: 'k1', turn: 1, usage: usage(1_500, 80) },
      { type: 'agent-text', callKey: 'k1', text: 'looking at the parser' },
    ]);
    expect(liveUsage(state).inputTokens).toBe(1_500);
    const lines = monitorFrame(state, OVERVIEW, options(5_000)).map((line) => line.text);
    const row = lines.find((line) => line.includes('review:a'))!;
    expect(row).toMatch(/^› review:a/);
    expect(row).toContain('1.5k in/80 out');
    expect(row).toContain('2 tools (last Grep)');
    expect(lines.join('\n')).toMatch(/Review\s+░+ 0\/4 · 1 running/);
    expect(lines.join('\n')).toContain('budget 80/1.0k out');
    expect(lines.join('\n')).toContain('2 queued');
    const transcript = monitorFrame(
      state,
      { mode: 'transcript', selected: 'k1', message: undefined },
      options(5_000),
    );
    expect(transcript.map((line) => line.text).join('\n')).toContain('looking at the parser');
  });

  it('MO-03 an agent silent for the configured time is flagged as stuck', () => {
    const state = feed([start('k1', 'slow', 'Review'), start('k2', 'busy', 'Review')], 0);
    applyRunEvent(state, { type: 'agent-tool', callKey: 'k2', tool: 'Bash' }, 50_000);
    expect(stuckAgents(state, 61_000, 60_000).map((agent) => agent.label)).toEqual(['slow']);
    const lines = monitorFrame(state, OVERVIEW, options(61_000)).map((line) => line.text);
    expect(lines.find((line) => line.includes('slow') && line.includes('silent'))).toBeDefined();
    expect(lines.some((line) => line.startsWith('⚠ 1 agent(s) silent'))).toBe(true);
    expect(stuckAgents(state, 30_000, 60_000)).toEqual([]);
  });

  it('MO-05 without a live monitor the text is not kept, but signs of life still count', () => {
    const state = createMonitorState({ name: 'demo', startedAt: 0, keepTranscripts: false });
    applyRunEvent(state, start('k1', 'quiet', null), 0);
    applyRunEvent(state, { type: 'agent-text', callKey: 'k1', text: 'a long answer' }, 50_000);
    applyRunEvent(state, { type: 'agent-tool', callKey: 'k1', tool: 'Read' }, 50_000);
    const agent = state.agents.get('k1')!;
    expect(agent.transcript).toBe('');
    expect(agent.toolCalls).toBe(1);
    expect(stuckAgents(state, 61_000, 60_000)).toEqual([]);
    expect(stuckAgents(state, 111_000, 60_000).map((stuck) => stuck.label)).toEqual(['quiet']);
  });

  it('MO-04 the journal rebuilds phases, agents and log lines for an attached monitor', async () => {
    const journal = openMemoryJournal();
    const run = journal.createRun({
      scriptPath: 'x.workflow.js',
      scriptHash: 'h',
      scriptText:
        "export const meta = { name: 'x', description: 'y', phases: [{ title: 'One' }, { title: 'Two' }] }\nreturn 1",
      argsJson: null,
      provider: 'sim',
      model: 'sonnet',
      limits: { concurrency: 4, maxAgents: 10, budgetTokens: null, maxCostUsd: null },
      seed: 1,
    });
    const call = (callKey: string, phase: string) => ({
      runId: run.id,
      callKey,
      kind: 'agent' as const,
      label: callKey,
      phase,
      model: 'claude-sonnet-4-5',
      prompt: 'p',
      optionsJson: '{}',
    });
    journal.startCall(call('a', 'One'));
    journal.startCall(call('b', 'One'));
    journal.appendEvent(run.id, 'phase', 'One');
    journal.appendEvent(run.id, 'log', 'hello');
    await journal.completeCall({
      runId: run.id,
      callKey: 'a',
      status: 'skipped',
      resultJson: 'null',
      usage: usage(10, 5),
      costUsd: 0.5,
      attempts: 1,
      toolCalls: 2,
      error: null,
      worktree: null,
      branch: null,
    });
    const state = monitorStateFromJournal(
      journal.requireRun(run.id),
      journal.listCalls(run.id),
      journal.listEvents(run.id),
    );
    expect(state.name).toBe('x');
    expect(state.phases.map((phase) => [phase.title, phase.skipped, phase.running])).toEqual([
      ['One', 1, 1],
      ['Two', 0, 0],
    ]);
    expect(state.logs).toEqual(['hello']);
    expect(state.costUsd).toBe(0.5);
    const keys = monitorFrame(state, OVERVIEW, { ...options(0), attached: true, canSave: false }).at(
      -1,
    )!.text;
    // Attached from another terminal, the keys steer the driver through the journal.
    expect(keys).toContain('c cancel');
    expect(keys).toContain('k skip');
    expect(keys).toContain('q quit');
    journal.close();
  });
});
