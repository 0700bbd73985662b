/**
 * Human progress on stderr until the live monitor exists: one line per phase, agent and log
 * event. stdout is kept for the result alone, so `dynaflow run … | jq` works.
 */
import type { RunEvent } from '../runtime/index.js';

export interface ProgressReporter {
  readonly listener: (event: RunEvent) => void;
  summary(): { done: number; failed: number; reused: number };
}

export function createProgressReporter(write: (line: string) => void, quiet: boolean): ProgressReporter {
  let done = 0;
  let failed = 0;
  let reused = 0;
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
        else failed += 1;
        if (quiet) break;
        const mark = event.status === 'done' ? '✓' : event.status === 'skipped' ? '–' : '✗';
        const tokens = `${event.usage.inputTokens + event.usage.cacheReadTokens + event.usage.cacheCreationTokens} in / ${event.usage.outputTokens} out`;
        const origin = event.reused ? ' (from journal)' : '';
        write(
          `  ${mark} ${event.label} — ${event.status}${origin}, ${tokens}${event.error ? `: ${event.error}` : ''}`,
        );
        break;
      }
      case 'agent-tool':
      case 'agent-turn':
      case 'agent-text':
      case 'run-end':
        break;
    }
  };
  return { listener, summary: () => ({ done, failed, reused }) };
}
