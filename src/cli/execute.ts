/**
 * Drives a run from the CLI: journal, provider, progress on stderr, Ctrl-C handling, the
 * result on stdout and the exit code SPEC §3 fixes.
 */
import { EXIT, exitCodeFor } from '../errors/index.js';
import { openJournal, resolveStateDir, type JournalStore } from '../journal/index.js';
import { createAgentTooling, type RunDependencies, type RunOutcome } from '../runtime/index.js';
import { loadSettings } from '../settings/index.js';
import { sandboxChoice } from './sandbox-choice.js';
import type { CliIo } from './context.js';
import { createLiveView, type MonitorRequest } from './live-view.js';
import type { ProgressSummary } from './progress.js';
import { openProvider, type ProviderSetupOptions } from './provider-setup.js';

export interface ExecuteOptions {
  readonly io: CliIo;
  readonly projectRoot: string;
  readonly stateDir: string | undefined;
  /** `--provider`; a function when the default depends on the journal (resume uses the run's). */
  readonly providerFlag: string | undefined | ((journal: JournalStore) => string | undefined);
  readonly quiet: boolean;
  readonly providerSetup?: ProviderSetupOptions;
  /** The live monitor's view of the workflow (a function when it depends on the journal: resume). */
  readonly monitor?: MonitorRequest | ((journal: JournalStore) => MonitorRequest | undefined);
  /** `ignore`: none of the project's own settings, MCP servers or agent types (`dynaflow demo`). */
  readonly projectConfiguration?: 'by-trust' | 'ignore';
}

export type RunStarter = (deps: RunDependencies, signal: AbortSignal) => Promise<RunOutcome>;

export async function executeRun(options: ExecuteOptions, start: RunStarter): Promise<number> {
  const { io } = options;
  // Settings first: a broken file is CONFIG_INVALID (exit 2) before anything is opened.
  const settings = await loadSettings(options.projectRoot, undefined, process.env, {
    project: options.projectConfiguration ?? 'by-trust',
  });
  const stateDir = resolveStateDir(options.projectRoot, options.stateDir);
  const journal = openJournal({ stateDir, durability: durabilityFrom(io.env) });
  const providerFlag =
    typeof options.providerFlag === 'function' ? options.providerFlag(journal) : options.providerFlag;
  let opened;
  try {
    // Credentials are checked before any request: a missing key fails at once.
    opened = await openProvider(providerFlag, io.env, {
      ...options.providerSetup,
      models: settings.models,
      prices: settings.prices,
    });
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
  const view = createLiveView({
    io,
    projectRoot: options.projectRoot,
    quiet: options.quiet,
    // Without a request (resume) the monitor still runs: phases appear as the script enters them.
    monitor: (typeof options.monitor === 'function' ? options.monitor(journal) : options.monitor) ?? {
      name: '',
    },
    onInterrupt: onSigint,
  });
  try {
    const outcome = await start(
      {
        journal,
        provider: opened.provider,
        projectRoot: options.projectRoot,
        // Real agents: tools, permissions, agent types, CLAUDE.md, MCP servers from the settings.
        // Exactly the settings read above: trust was decided once, for the whole run.
        tooling: createAgentTooling({ settings }),
        stateDir,
        sandboxLimits: sandboxLimitsFrom(io.env),
        osSandbox: sandboxChoice(io.env, settings.sandbox),
        ...maxAttemptsFrom(io.env),
        ...(settings.rateLimits[opened.id] ? { rateLimits: settings.rateLimits[opened.id] } : {}),
        listener: view.listener,
        control: view.control,
      },
      interrupt.signal,
    );
    view.stop();
    return report(io, outcome, view.summary());
  } finally {
    view.stop();
    process.removeListener('SIGINT', onSigint);
    await closeQuietly(journal, () => opened.close());
  }
}

function report(io: CliIo, outcome: RunOutcome, counts: ProgressSummary): number {
  const agents = counts.done === 1 ? 'agent' : 'agents';
  const interrupted =
    counts.interrupted > 0 ? `, ${counts.interrupted} interrupted (run again on resume)` : '';
  const tally = `${counts.done} ${agents} done, ${counts.failed} failed or skipped${interrupted}, ${outcome.reused} from journal, ${outcome.live} live`;
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
 * `DYNAFLOW_MAX_ATTEMPTS`: attempts per model request before an agent fails (default 8). Lower it
 * to fail fast during a provider outage and `dynaflow resume` later: failed agents run again.
 */
function maxAttemptsFrom(env: NodeJS.ProcessEnv): { maxAttempts?: number } {
  const attempts = Number(env.DYNAFLOW_MAX_ATTEMPTS);
  return Number.isInteger(attempts) && attempts >= 1 ? { maxAttempts: attempts } : {};
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

/**
 * A run's journal survives `kill -9` in either mode. The default commits without an fsync per
 * batch (the OS writes it out; a clean reboot keeps it): a fan-out would otherwise spend seconds
 * blocked on the disk. `DYNAFLOW_DURABILITY=power-loss` fsyncs every commit, for machines that
 * may lose power mid-run (a lost completion is then never re-paid).
 */
function durabilityFrom(env: NodeJS.ProcessEnv): 'power-loss' | 'process-crash' {
  return env.DYNAFLOW_DURABILITY === 'power-loss' ? 'power-loss' : 'process-crash';
}
