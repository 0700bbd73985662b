/**
 * Human progress on stderr until the live monitor exists: one line per phase, agent and log
 * event. stdout is kept for the result alone, so `dynaflow run … | jq` works.
 */
import type { RunEvent } from '../runtime/index.js';

/** Agents by how they ended; `interrupted` ones (a cancel, a ceiling, a halt) run again on resume. */
export interface ProgressSummary {
  readonly done: number;
  readonly failed: number;
  readonly interrupted: number;
  readonly reused: number;
}

export interface ProgressReporter {
  readonly listener: (event: RunEvent) => void;
  summary(): ProgressSummary;
}

export function createProgressReporter(write: (line: string) => void, quiet: boolean): ProgressReporter {
  let done = 0;
  let failed = 0;
  let interrupted = 0;
  let reused = 0;
  // A run that stops (Ctrl-C, a ceiling, missing credentials) interrupts every agent in flight
  // with the same reason: it is printed once, not on each of their lines.
  const reasonsShown = new Set<string>();
  const listener = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        if (event.resumed) write(`resuming ${event.runId} (${event.name})`);
        break;
      case 'phase-start':
        write(`▶ ${event.title}`);
        break;
      case 'log':
        write(`  ${event.message}`);
        break;
      case 'warning':
        write(`  warning: ${event.message}`);
        break;
      case 'agent-start':
        if (!quiet) write(`  … ${event.label}${event.model ? ` [${event.model}]` : ''}`);
        break;
      case 'agent-retry':
        if (!quiet) write(`  ↻ retry ${event.attempt} in ${Math.round(event.delayMs)} ms`);
        break;
      case 'agent-end': {
        if (event.reused) reused += 1;
        if (event.status === 'done') done += 1;
        else if (event.status === 'interrupted') interrupted += 1;
        else failed += 1;
        if (quiet) break;
        const mark = event.status === 'done' ? '✓' : event.status === 'skipped' ? '–' : '✗';
        const tokens = `${event.usage.inputTokens + event.usage.cacheReadTokens + event.usage.cacheCreationTokens} in / ${event.usage.outputTokens} out`;
        const origin = event.reused ? ' (from journal)' : '';
        let reason = event.error ? `: ${event.error}` : '';
        if (event.status === 'interrupted' && event.error) {
          if (reasonsShown.has(event.error)) reason = '';
          reasonsShown.add(event.error);
        }
        write(`  ${mark} ${event.label} — ${event.status}${origin}, ${tokens}${reason}`);
        break;
      }
      case 'agent-tool':
      case 'agent-turn':
      case 'agent-text':
      case 'run-end':
        break;
    }
  };
  return { listener, summary: () => ({ done, failed, interrupted, reused }) };
}
