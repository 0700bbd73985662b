/**
 * What a person sees while a run goes on in this process: the live monitor (ink) when both stdin
 * and stderr are terminals, else plain progress lines. Either way a stuck agent (no event for
 * `DYNAFLOW_STUCK_SECONDS`, default 60) is called out. `q` in the monitor detaches: painting stops
 * and the run continues with plain lines.
 */
import { saveWorkflowCommand, type PlanEstimate } from '../planner/index.js';
import type { LoadedScript } from '../script/index.js';
import { createRunControl, type RunControl, type RunEventListener } from '../runtime/index.js';
import {
  applyRunEvent,
  createMonitorState,
  DEFAULT_SILENCE_MS,
  loadLiveMonitor,
  stuckAgents,
  type LiveMonitor,
} from '../ui/index.js';
import type { CliIo } from './context.js';
import { createProgressReporter, type ProgressSummary } from './progress.js';

/** What the monitor needs to know about the workflow before the run starts. */
export interface MonitorRequest {
  readonly name: string;
  readonly phases?: readonly { readonly title: string; readonly detail?: string | undefined }[];
  /** Agents per phase the plan expects (the rehearsal's counts). */
  readonly expected?: Readonly<Record<string, number>>;
  readonly budgetTokens?: number | null;
  readonly maxCostUsd?: number | null;
  /** The script, for `s` (save as a command). */
  readonly scriptText?: string;
}

/** What the monitor is told before a run starts: the script's phases and, after a plan, its counts. */
export function monitorRequestFor(
  script: LoadedScript,
  limits: { readonly budgetTokens?: number; readonly maxCostUsd?: number },
  plan: PlanEstimate | undefined,
): MonitorRequest {
  return {
    name: script.meta.name,
    ...(script.meta.phases ? { phases: script.meta.phases } : {}),
    ...(plan
      ? { expected: Object.fromEntries(plan.phases.map((phase) => [phase.title, phase.agents])) }
      : {}),
    budgetTokens: limits.budgetTokens ?? null,
    maxCostUsd: limits.maxCostUsd ?? null,
    scriptText: script.text,
  };
}

export interface LiveView {
  readonly listener: RunEventListener;
  readonly control: RunControl;
  summary(): ProgressSummary;
  /** Stops painting (the last frame stays) and the stuck-agent watch. */
  stop(): void;
}

export interface LiveViewOptions {
  readonly io: CliIo;
  readonly projectRoot: string;
  readonly quiet: boolean;
  readonly monitor: MonitorRequest | undefined;
  /** Ctrl-C inside the monitor (raw mode: no SIGINT arrives). */
  readonly onInterrupt: () => void;
}

export function stuckSilenceMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.DYNAFLOW_STUCK_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_SILENCE_MS;
}

/** True when the ink monitor should paint: terminals on both ends and not turned off. */
export function wantsLiveMonitor(io: CliIo, quiet: boolean): boolean {
  return io.stdinIsTty && io.stderrIsTty && !quiet && io.env.DYNAFLOW_MONITOR !== 'off';
}

export function createLiveView(options: LiveViewOptions): LiveView {
  const { io, monitor } = options;
  const control = createRunControl();
  const silenceMs = stuckSilenceMs(io.env);
  const useMonitor = monitor !== undefined && wantsLiveMonitor(io, options.quiet);
  // Start loading ink now, while the run gets ready; it paints from the run's first event on.
  const monitorLoading = useMonitor ? loadLiveMonitor() : undefined;
  const state = createMonitorState({
    name: monitor?.name ?? '',
    startedAt: Date.now(),
    ...(monitor?.phases ? { phases: monitor.phases } : {}),
    ...(monitor?.expected ? { expected: monitor.expected } : {}),
    budgetTokens: monitor?.budgetTokens ?? null,
    maxCostUsd: monitor?.maxCostUsd ?? null,
    // Only the ink monitor shows live transcripts; plain progress lines never read them.
    keepTranscripts: useMonitor,
  });
  let live: LiveMonitor | undefined;
  let painting = false;
  const progress = createProgressReporter((line) => {
    if (!painting) io.stderr(line);
  }, options.quiet);

  const warned = new Set<string>();
  const watch = setInterval(
    () => {
      if (painting) return; // the monitor shows silent agents itself
      for (const agent of stuckAgents(state, Date.now(), silenceMs)) {
        if (warned.has(agent.callKey)) continue;
        warned.add(agent.callKey);
        io.stderr(`  ⚠ ${agent.label} has been silent for ${Math.round(silenceMs / 1000)} s (stuck?)`);
      }
    },
    Math.min(5_000, Math.max(250, silenceMs / 4)),
  );
  watch.unref();

  const save = monitor?.scriptText
    ? (): string => {
        const saved = saveWorkflowCommand(options.projectRoot, monitor.name, monitor.scriptText!);
        return `${saved.written ? 'saved as' : 'already saved as'} ${saved.path} — run it again with: dynaflow ${saved.name}`;
      }
    : undefined;

  let stopped = false;
  const startMonitor = (startLiveMonitor: Awaited<ReturnType<typeof loadLiveMonitor>>): void => {
    if (stopped || live) return;
    painting = true;
    live = startLiveMonitor({
      state,
      output: process.stderr,
      input: process.stdin,
      silenceMs,
      actions: {
        control,
        ...(save ? { save } : {}),
        interrupt: options.onInterrupt,
        detach: () => {
          painting = false;
          io.stderr(
            'monitor detached: the run goes on here with plain progress lines (Ctrl-C interrupts it).',
          );
          if (state.runId) io.stderr(`watch it again from another terminal: dynaflow monitor ${state.runId}`);
        },
      },
    });
  };

  return {
    control,
    listener: (event) => {
      if (event.type === 'run-start') {
        io.stderr(`run ${event.runId}`);
        if (monitorLoading && !live) void monitorLoading.then(startMonitor);
      }
      applyRunEvent(state, event, Date.now());
      progress.listener(event);
    },
    summary: () => progress.summary(),
    stop: () => {
      stopped = true;
      clearInterval(watch);
      live?.stop();
      painting = false;
    },
  };
}
