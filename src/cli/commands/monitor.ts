/**
 * `dynaflow monitor [ID]` — watch a run from another terminal (or after it ended) by polling the
 * journal: the same monitor as a live run in a terminal, plain progress lines otherwise. Its
 * keys steer the driver through the journal: `p` pauses and resumes, `k` skips an agent (both
 * picked up within a second, see `requestSteering`), `c` cancels as `dynaflow cancel` does, `s`
 * saves the run's script as a command.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT, JournalError } from '../../errors/index.js';
import { JOURNAL_FILE_NAME, openJournal, resolveStateDir, type JournalStore } from '../../journal/index.js';
import { saveWorkflowCommand } from '../../planner/index.js';
import { systemClock } from '../../scheduler/index.js';
import { parseScript } from '../../script/index.js';
import {
  createLineFollower,
  followRun,
  snapshotRun,
  loadLiveMonitor,
  type MonitorState,
} from '../../ui/index.js';
import type { CliIo } from '../context.js';
import { stuckSilenceMs, wantsLiveMonitor } from '../live-view.js';

export interface MonitorFlags {
  readonly stateDir?: string;
  /** Print the run's state once and exit. */
  readonly once?: boolean;
  readonly interval?: number;
}

export async function monitorCommand(
  io: CliIo,
  projectRoot: string,
  runIdArgument: string | undefined,
  flags: MonitorFlags,
): Promise<number> {
  const stateDir = resolveStateDir(projectRoot, flags.stateDir);
  if (!existsSync(path.join(stateDir, JOURNAL_FILE_NAME))) {
    throw new JournalError('RUN_NOT_FOUND', `no runs recorded yet in ${stateDir}`, {
      hint: 'start one with: dynaflow run FILE (or dynaflow demo)',
    });
  }
  const journal = openJournal({ stateDir, readonly: true });
  try {
    const runId = runIdArgument ?? pickRun(journal);
    const first = snapshotRun(journal, runId);
    if (flags.once || !wantsLiveMonitor(io, false)) {
      const follower = createLineFollower(io.stderr);
      if (flags.once) {
        follower(first);
        if (first.status === 'running') io.stderr(`${runId} is running`);
        return EXIT.done;
      }
      const end = await followRun({
        journal,
        runId,
        clock: systemClock,
        onState: follower,
        intervalMs: flags.interval ?? 500,
      });
      if (end.orphaned)
        io.stderr(
          `${runId} is marked running but no process drives it; resume it with: dynaflow resume ${runId}`,
        );
      return EXIT.done;
    }
    return await attachLive(io, journal, stateDir, projectRoot, runId, first, flags);
  } finally {
    journal.close();
  }
}

/** The newest running run, else the newest run. */
function pickRun(journal: JournalStore): string {
  const runs = journal.listRuns({ limit: 50 });
  const chosen = runs.find((run) => run.status === 'running') ?? runs[0];
  if (!chosen) {
    throw new JournalError('RUN_NOT_FOUND', 'no runs recorded yet', {
      hint: 'start one with: dynaflow run FILE',
    });
  }
  return chosen.id;
}

async function attachLive(
  io: CliIo,
  journal: JournalStore,
  stateDir: string,
  projectRoot: string,
  runId: string,
  first: MonitorState,
  flags: MonitorFlags,
): Promise<number> {
  const state = first;
  const stop = new AbortController();
  const run = journal.requireRun(runId);
  const startLiveMonitor = await loadLiveMonitor();
  const monitor = startLiveMonitor({
    state,
    attached: true,
    output: process.stderr,
    input: process.stdin,
    silenceMs: stuckSilenceMs(io.env),
    actions: {
      detach: () => stop.abort(),
      interrupt: () => stop.abort(),
      save: () => {
        const name = parseScript(run.scriptText, run.scriptPath).meta.name;
        const saved = saveWorkflowCommand(projectRoot, name, run.scriptText);
        return `saved as ${saved.path} — run it with: dynaflow ${saved.name}`;
      },
      control: journalSteering(stateDir, runId, state, journal),
    },
  });
  try {
    const end = await followRun({
      journal,
      runId,
      clock: systemClock,
      intervalMs: flags.interval ?? 500,
      signal: stop.signal,
      onState: (next) => Object.assign(state, next),
    });
    monitor.stop();
    if (end.orphaned)
      io.stderr(
        `${runId} is marked running but no process drives it; resume it with: dynaflow resume ${runId}`,
      );
    else if (!stop.signal.aborted) io.stderr(`${runId} ended: ${end.run.status}`);
    return EXIT.done;
  } finally {
    monitor.stop();
  }
}

/**
 * The monitor's keys for a run driven by another process: each key is a request written to the
 * journal through a short-lived writable connection, so watching (`reader`) stays read-only and a
 * monitor that presses no key never writes.
 */
export function journalSteering(
  stateDir: string,
  runId: string,
  state: Pick<MonitorState, 'agents'>,
  reader: JournalStore,
) {
  const write = <T>(action: (journal: JournalStore) => T): T => {
    const writable = openJournal({ stateDir });
    try {
      return action(writable);
    } finally {
      writable.close();
    }
  };
  let paused = reader.readSteering(runId).paused;
  return {
    pause: () => {
      paused = write((journal) => journal.requestSteering(runId, { paused: true })).paused;
    },
    resume: () => {
      paused = write((journal) => journal.requestSteering(runId, { paused: false })).paused;
    },
    get paused() {
      return paused;
    },
    skip: (callKey: string): boolean => {
      if (state.agents.get(callKey)?.state !== 'running') return false;
      write((journal) => journal.requestSteering(runId, { skip: callKey }));
      return true;
    },
    cancel: () => {
      write((journal) => journal.cancelRun(runId));
    },
    queued: () => undefined,
  };
}
