/**
 * What a run tells the outside world while it goes (CLI progress lines, the monitor, tests).
 * Names are noun-verb, as STYLE.md asks.
 */
import type { Usage } from '../providers/types.js';

export type AgentEndStatus = 'done' | 'failed' | 'skipped' | 'interrupted';

export type RunEvent =
  | { readonly type: 'run-start'; readonly runId: string; readonly name: string; readonly resumed: boolean }
  | { readonly type: 'phase-start'; readonly title: string }
  | { readonly type: 'log'; readonly message: string }
  | { readonly type: 'warning'; readonly message: string }
  | {
      readonly type: 'agent-start';
      readonly callKey: string;
      readonly kind: 'agent' | 'exec';
      readonly label: string;
      readonly phase: string | null;
      readonly model: string | null;
    }
  | { readonly type: 'agent-tool'; readonly callKey: string; readonly tool: string }
  /** A model turn of a running agent ended: its usage so far moves before the agent finishes. */
  | { readonly type: 'agent-turn'; readonly callKey: string; readonly turn: number; readonly usage: Usage }
  /** Streamed text of a running agent (the monitor's live transcript). */
  | { readonly type: 'agent-text'; readonly callKey: string; readonly text: string }
  | {
      readonly type: 'agent-retry';
      readonly callKey: string;
      readonly attempt: number;
      readonly delayMs: number;
    }
  | {
      readonly type: 'agent-end';
      readonly callKey: string;
      readonly kind: 'agent' | 'exec';
      readonly label: string;
      readonly phase: string | null;
      readonly status: AgentEndStatus;
      /** True when the result came from the journal (resume / --reuse): no request was made. */
      readonly reused: boolean;
      readonly usage: Usage;
      readonly error: string | null;
    }
  | { readonly type: 'run-end'; readonly runId: string; readonly status: string };

export type RunEventListener = (event: RunEvent) => void;
