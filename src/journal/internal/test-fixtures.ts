/** Builders shared by the journal's tests (not used by production code). */
import { DynaflowError } from '../../errors/index.js';
import type { CallCompletion, NewCall, NewRun } from '../journal-store.js';

export const START_MS = Date.parse('2025-03-01T12:00:00.000Z');

/** A clock the test moves by hand. */
export function manualClock(startMs = START_MS): { now: () => number; advance: (ms: number) => void } {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

export function newRunInput(overrides: Partial<NewRun> = {}): NewRun {
  return {
    scriptPath: 'triage.workflow.js',
    scriptHash: 'sha256:0f1e2d',
    scriptText: "export const meta = { name: 'triage', description: 'd' }\nreturn 1",
    argsJson: '{"files":["a.ts"]}',
    provider: 'sim',
    model: 'sonnet',
    limits: { concurrency: 16, maxAgents: 1000, budgetTokens: null, maxCostUsd: null },
    seed: 42,
    ...overrides,
  };
}

export function newCallInput(runId: string, callKey: string, overrides: Partial<NewCall> = {}): NewCall {
  return {
    runId,
    callKey,
    kind: 'agent',
    label: `label:${callKey}`,
    phase: 'Fix',
    model: 'sonnet',
    prompt: `Fix ${callKey}`,
    optionsJson: '{"label":"x"}',
    ...overrides,
  };
}

export function completionInput(
  runId: string,
  callKey: string,
  overrides: Partial<CallCompletion> = {},
): CallCompletion {
  return {
    runId,
    callKey,
    status: 'done',
    resultJson: JSON.stringify({ fixed: true, key: callKey }),
    usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 5, cacheCreationTokens: 1 },
    costUsd: 0.25,
    attempts: 1,
    toolCalls: 3,
    error: null,
    worktree: null,
    branch: null,
    ...overrides,
  };
}

/** The error code `action` throws (undefined when it does not throw). */
export function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return DynaflowError.isInstance(error) ? error.code : 'not a DynaflowError';
  }
  return undefined;
}
