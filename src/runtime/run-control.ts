/**
 * Steering a live run from outside the script (the monitor's keys): pause and resume
 * dispatching, skip one running agent (its `agent()` returns `null` and the call is journaled as
 * `skipped`, so a resume returns `null` too), or cancel the whole run.
 *
 * The caller creates the control before the run starts and hands it in `RunDependencies.control`;
 * the runtime binds it to the run's scheduler and cancel signal when the run starts. Calls made
 * before that (or after the run ended) are remembered or ignored, never errors.
 */
import { LimitError, type DynaflowError } from '../errors/index.js';

/** What the runtime gives the control when a run starts. */
export interface RunControlBinding {
  pause(): void;
  resume(): void;
  cancel(reason: DynaflowError): void;
  /** Agents waiting for a slot. */
  queued(): number;
}

/** What the runtime's agent calls use: register while running, ask whether a stop was a skip. */
export interface RunControlHooks {
  /** Registers a running agent; returns the unregister function. */
  register(callKey: string, controller: AbortController): () => void;
  wasSkipped(callKey: string): boolean;
}

export interface RunControl {
  /** Stops granting new agent slots; running agents go on. */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Stops one running agent: its `agent()` returns `null`. False when no such agent runs. */
  skip(callKey: string): boolean;
  /** Cancels the run: no new agent starts, running ones stop (resumable). */
  cancel(): void;
  /** Call keys of the agents running now. */
  running(): string[];
  /** Agents waiting for a slot (undefined before the run starts). */
  queued(): number | undefined;
  /** Used by the runtime when the run starts; returns the hooks its agent calls use. */
  bind(binding: RunControlBinding): RunControlHooks;
}

/**
 * @example
 * const control = createRunControl();
 * const outcome = startRun({ ...deps, control }, request);
 * control.skip(callKeyFromTheMonitor); // that agent() returns null
 */
export function createRunControl(): RunControl {
  let binding: RunControlBinding | undefined;
  let paused = false;
  let cancelled = false;
  const running = new Map<string, AbortController>();
  const skipped = new Set<string>();
  const hooks: RunControlHooks = {
    register(callKey, controller) {
      running.set(callKey, controller);
      return () => {
        if (running.get(callKey) === controller) running.delete(callKey);
      };
    },
    wasSkipped: (callKey) => skipped.has(callKey),
  };
  return {
    pause() {
      paused = true;
      binding?.pause();
    },
    resume() {
      paused = false;
      binding?.resume();
    },
    get paused() {
      return paused;
    },
    skip(callKey) {
      const controller = running.get(callKey);
      if (!controller) return false;
      skipped.add(callKey);
      controller.abort(new LimitError('AGENT_SKIPPED', 'the agent was skipped from the monitor'));
      return true;
    },
    cancel() {
      cancelled = true;
      binding?.cancel(new LimitError('RUN_CANCELLED', 'the run was cancelled from the monitor'));
    },
    running: () => [...running.keys()],
    queued: () => binding?.queued(),
    bind(next) {
      binding = next;
      if (paused) next.pause();
      if (cancelled) next.cancel(new LimitError('RUN_CANCELLED', 'the run was cancelled from the monitor'));
      return hooks;
    },
  };
}
