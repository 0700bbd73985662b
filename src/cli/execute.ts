/**
 * Drives a run from the CLI: journal, provider, progress on stderr, Ctrl-C handling, the
 * result on stdout and the exit code SPEC §3 fixes.
 */
import { EXIT, exitCodeFor } from '../errors/index.js';
import { openJournal, resolveStateDir, type JournalStore } from '../journal/index.js';
import type { RunDependencies, RunOutcome } from '../runtime/index.js';
import type { CliIo } from './context.js';
import { createProgressReporter } from './progress.js';
import { openProvider, type ProviderSetupOptions } from './provider-setup.js';

export interface ExecuteOptions {
  readonly io: CliIo;
  readonly projectRoot: string;
  readonly stateDir: string | undefined;
  /** `--provider`; a function when the default depends on the journal (resume uses the run's). */
  readonly providerFlag: string | undefined | ((journal: JournalStore) => string | undefined);
  readonly quiet: boolean;
  readonly providerSetup?: ProviderSetupOptions;
}

export type RunStarter = (deps: RunDependencies, signal: AbortSignal) => Promise<RunOutcome>;

export async function executeRun(options: ExecuteOptions, start: RunStarter): Promise<number> {
  const { io } = options;
  const journal = openJournal({ stateDir: resolveStateDir(options.projectRoot, options.stateDir) });
  const providerFlag =
    typeof options.providerFlag === 'function' ? options.providerFlag(journal) : options.providerFlag;
  let opened;
  try {
    // Credentials are checked before any request: a missing key fails at once.
    opened = await openProvider(providerFlag, io.env, options.providerSetup);
  } catch (error) {
    journal.close();
    throw error;
  }
  const interrupt = new AbortController();
  const onSigint = (): void => {
    io.stderr('interrupt: stopping dispatch; in-flight agents are recorded as interrupted (resume later)');
    interrupt.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = createProgressReporter(io.stderr, options.quiet);
  try {
    const outcome = await start(
      {
        journal,
        provider: opened.provider,
        projectRoot: options.projectRoot,
        sandboxLimits: sandboxLimitsFrom(io.env),
        listener: (event) => {
          if (event.type === 'run-start') io.stderr(`run ${event.runId}`);
          progress.listener(event);
        },
      },
      interrupt.signal,
    );
    return report(io, outcome, progress.summary());
  } finally {
    process.removeListener('SIGINT', onSigint);
    await closeQuietly(journal, () => opened.close());
  }
}

function report(
  io: CliIo,
  outcome: RunOutcome,
  counts: { done: number; failed: number; reused: number },
): number {
  const tally = `${counts.done} agents done, ${counts.failed} failed or skipped, ${outcome.reused} from journal, ${outcome.live} live`;
  if (outcome.status === 'done') {
    io.stdout(`${JSON.stringify(outcome.result ?? null, null, 2)}\n`);
    io.stderr(`done ${outcome.runId}: ${tally}`);
    return EXIT.done;
  }
  const error = outcome.error;
  io.stderr(
    `${outcome.status} ${outcome.runId}: ${error ? `${error.code}: ${error.describe()}` : 'stopped'}`,
  );
  io.stderr(tally);
  if (outcome.status === 'interrupted' || outcome.status === 'exhausted') {
    io.stderr(`resume with: dynaflow resume ${outcome.runId}`);
  }
  if (outcome.status === 'interrupted') return EXIT.interrupted;
  return exitCodeFor(error);
}

async function closeQuietly(journal: JournalStore, closeProvider: () => Promise<void>): Promise<void> {
  try {
    journal.close();
  } finally {
    await closeProvider();
  }
}

/**
 * The script's own limits: `DYNAFLOW_SCRIPT_CPU_MS` (longest synchronous stretch between awaits,
 * default 10 s) and `DYNAFLOW_SCRIPT_MEMORY_MB` (heap, default 256).
 */
function sandboxLimitsFrom(env: NodeJS.ProcessEnv): { cpuMsPerSlice?: number; memoryBytes?: number } {
  const limits: { cpuMsPerSlice?: number; memoryBytes?: number } = {};
  const cpu = Number(env.DYNAFLOW_SCRIPT_CPU_MS);
  if (Number.isFinite(cpu) && cpu > 0) limits.cpuMsPerSlice = cpu;
  const memory = Number(env.DYNAFLOW_SCRIPT_MEMORY_MB);
  if (Number.isFinite(memory) && memory > 0) limits.memoryBytes = memory * 1024 * 1024;
  return limits;
}
