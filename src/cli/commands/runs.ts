/** `dynaflow runs [--json]` — the project's runs, newest first. */
import path from 'node:path';
import { EXIT } from '../../errors/index.js';
import { openJournal, resolveStateDir, type RunSummary } from '../../journal/index.js';
import type { CliIo } from '../context.js';
import { describeStatus, formatAge, formatCost, formatCount } from './show.js';

export interface RunsFlags {
  readonly json?: boolean;
  readonly limit?: number;
  readonly stateDir?: string;
}

export function runsCommand(io: CliIo, projectRoot: string, flags: RunsFlags): Promise<number> {
  const journal = openJournal({ stateDir: resolveStateDir(projectRoot, flags.stateDir), readonly: true });
  let runs: RunSummary[];
  try {
    runs = journal.listRuns(flags.limit === undefined ? {} : { limit: flags.limit });
  } finally {
    journal.close();
  }
  if (flags.json) {
    io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
    return Promise.resolve(EXIT.done);
  }
  if (runs.length === 0) {
    io.stderr('no runs yet in this project (start one with: dynaflow run FILE)');
    return Promise.resolve(EXIT.done);
  }
  io.stdout(renderRuns(runs, Date.now()));
  return Promise.resolve(EXIT.done);
}

export function renderRuns(runs: readonly RunSummary[], nowMs: number): string {
  const header = ['ID', 'SCRIPT', 'STATUS', 'DONE', 'FAILED', 'TOKENS IN/OUT', 'COST', 'AGE'];
  const rows = runs.map((run) => {
    const usage = run.usage;
    const tokensIn = usage.inputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
    return [
      run.id,
      path.basename(run.scriptPath),
      describeStatus(run.status, run.driver).split(' (')[0] ?? run.status,
      String(run.calls.done),
      String(run.calls.failed + run.calls.interrupted),
      `${formatCount(tokensIn)}/${formatCount(usage.outputTokens)}`,
      formatCost(run.costUsd),
      formatAge(nowMs - Date.parse(run.createdAt)),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
