/**
 * What a script may say through `log()` and the warnings its calls cause, bounded per run (a run
 * and its child workflows share one allowance). A script controls how often it logs: without a
 * cap, 64 KiB lines in a loop filled a 1.6 GB journal in 38 s and took a rehearsal to 11.7 GB.
 * Past the cap, lines are dropped after ONE notice; identical warnings are said once.
 */
import { UsageError } from '../errors/index.js';
import type { RunState } from './run-state.js';

export interface NoteCaps {
  /** `log()` lines journaled and shown per run. */
  readonly logLines: number;
  /** Bytes (UTF-8) of `log()` text journaled and shown per run. */
  readonly logBytes: number;
  /** Distinct warnings per run; identical ones never count twice. */
  readonly warnings: number;
}

export const DEFAULT_NOTE_CAPS: NoteCaps = { logLines: 10_000, logBytes: 8 * 1024 * 1024, warnings: 1_000 };

/**
 * The caps, with `DYNAFLOW_LOG_LINES` / `DYNAFLOW_LOG_BYTES` overriding the defaults.
 *
 * @throws UsageError `USAGE` naming the variable when it is not a positive integer.
 * @example noteCapsFrom({ DYNAFLOW_LOG_LINES: '50000' }).logLines // 50000
 */
export function noteCapsFrom(env: NodeJS.ProcessEnv): NoteCaps {
  return {
    logLines: positiveInteger(env, 'DYNAFLOW_LOG_LINES', DEFAULT_NOTE_CAPS.logLines),
    logBytes: positiveInteger(env, 'DYNAFLOW_LOG_BYTES', DEFAULT_NOTE_CAPS.logBytes),
    warnings: DEFAULT_NOTE_CAPS.warnings,
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new UsageError('USAGE', `${name} must be a positive integer, got "${raw}".`, {
      hint: `Unset ${name} to keep the default (${fallback.toLocaleString('en-US')}), or set a whole number.`,
    });
  }
  return value;
}

export interface ScriptNotes {
  log(message: string): void;
  warn(message: string): void;
  /** At run end: how much `log()` text the cap dropped, in one closing note (nothing if none). */
  finish(): void;
}

const notesByRun = new WeakMap<RunState, ScriptNotes>();

/** Says, once the run is over, how many `log()` lines its cap dropped (a run that never logged: nothing). */
export function finishScriptNotes(state: RunState): void {
  notesByRun.get(state)?.finish();
}

/** The one allowance of `state`'s run, made at its first use (so an invalid override fails the run at start). */
export function scriptNotesOf(state: RunState, caps: NoteCaps = noteCapsFrom(process.env)): ScriptNotes {
  const known = notesByRun.get(state);
  if (known) return known;
  const notes = createScriptNotes(state, caps);
  notesByRun.set(state, notes);
  return notes;
}

function createScriptNotes(state: RunState, caps: NoteCaps): ScriptNotes {
  let lines = 0;
  let bytes = 0;
  let logCapped = false;
  let droppedLines = 0;
  let droppedBytes = 0;
  const warned = new Set<string>();
  let warningsCapped = false;

  const say = (message: string): void => {
    state.journal.appendEvent(state.runId, 'warning', message);
    state.emit({ type: 'warning', message });
  };
  const warn = (message: string): void => {
    if (warned.has(message) || warningsCapped) return;
    if (warned.size >= caps.warnings) {
      warningsCapped = true;
      say(
        `warnings: more than ${caps.warnings.toLocaleString('en-US')} different ones in this run; later ones are dropped`,
      );
      return;
    }
    warned.add(message);
    say(message);
  };
  return {
    log(message) {
      const size = Buffer.byteLength(message, 'utf8');
      if (logCapped || lines + 1 > caps.logLines || bytes + size > caps.logBytes) {
        droppedLines += 1;
        droppedBytes += size;
        if (logCapped) return;
        logCapped = true;
        warn(
          `log: per-run cap reached (${caps.logLines.toLocaleString('en-US')} lines or ${formatBytes(caps.logBytes)}); later log() lines are dropped. Raise it with DYNAFLOW_LOG_LINES / DYNAFLOW_LOG_BYTES.`,
        );
        return;
      }
      lines += 1;
      bytes += size;
      state.journal.appendEvent(state.runId, 'log', message);
      state.emit({ type: 'log', message });
    },
    warn,
    finish() {
      if (droppedLines === 0) return;
      say(
        `log: ${droppedLines.toLocaleString('en-US')} line${droppedLines === 1 ? '' : 's'} (${formatBytes(droppedBytes)}) dropped past the per-run cap`,
      );
      droppedLines = 0;
    },
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes.toLocaleString('en-US')} bytes`;
}
