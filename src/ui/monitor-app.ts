/**
 * The live monitor in a terminal (ink). It paints `monitorFrame` a few times a second and turns
 * keys into run control: arrows/Enter select an agent and open its live transcript, `p` pauses
 * dispatching, `k` skips the selected agent (its `agent()` returns null), `c` cancels (pressed
 * twice), `s` saves the script as a command, `q` detaches (the run goes on; progress continues as
 * plain lines).
 */
import { Box, render, Text, useInput, type Instance } from 'ink';
import { createElement as h, useEffect, useRef, useState, type ReactElement } from 'react';
import { monitorFrame, selectedAgent, type MonitorView } from './monitor-frame.js';
import { DEFAULT_SILENCE_MS, runningAgents, type MonitorState } from './monitor-state.js';

/**
 * What the keys act on: the run's own control in its process, or, for a monitor attached from
 * another terminal, requests the driver picks up from the journal within a second.
 */
export interface MonitorActions {
  readonly control?: {
    pause(): void;
    resume(): void;
    readonly paused: boolean;
    skip(callKey: string): boolean;
    cancel(): void;
    queued(): number | undefined;
  };
  /** Saves the script as a command; returns what to tell the user. */
  readonly save?: () => string;
  /** `q`: the monitor stops painting; the caller decides what happens next. */
  readonly detach: () => void;
  /** Ctrl-C (the terminal is in raw mode, so no SIGINT arrives). */
  readonly interrupt?: () => void;
}

export interface LiveMonitorOptions {
  readonly state: MonitorState;
  readonly actions: MonitorActions;
  /** Where to paint: stderr, since stdout carries only the result. */
  readonly output: NodeJS.WriteStream;
  readonly input: NodeJS.ReadStream;
  /** Warn about an agent with no event for this long. Default 60 s. */
  readonly silenceMs?: number;
  /** Repaint period. Default 250 ms. */
  readonly refreshMs?: number;
  readonly attached?: boolean;
  readonly now?: () => number;
}

export interface LiveMonitor {
  /** Paints the last frame and releases the terminal. */
  stop(): void;
  readonly stopped: boolean;
}

interface AppProps extends LiveMonitorOptions {
  readonly onQuit: () => void;
}

function MonitorApp(props: AppProps): ReactElement {
  const { state, actions } = props;
  const now = props.now ?? Date.now;
  const [, setTick] = useState(0);
  const view = useRef<MonitorView>({ mode: 'overview', selected: undefined, message: undefined });
  const confirmCancel = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), props.refreshMs ?? 250);
    return () => clearInterval(timer);
  }, [props.refreshMs]);

  useInput((input, key) => {
    const current = view.current;
    const running = runningAgents(state);
    const selected = current.mode === 'transcript' ? undefined : selectedAgent(state, current);
    const say = (message: string): void => {
      current.message = message;
    };
    if (key.ctrl && input === 'c') {
      actions.interrupt?.();
      say('interrupting: in-flight agents are recorded as interrupted (resume later)');
    } else if (key.upArrow || key.downArrow) {
      const at = running.findIndex((agent) => agent.callKey === (current.selected ?? selected?.callKey));
      const next = running[Math.min(running.length - 1, Math.max(0, at + (key.upArrow ? -1 : 1)))];
      if (next) current.selected = next.callKey;
    } else if (key.return) {
      if (current.mode === 'transcript') current.mode = 'overview';
      else if (selected) {
        current.mode = 'transcript';
        current.selected = selected.callKey;
      }
    } else if (key.escape) {
      current.mode = 'overview';
    } else if (input === 'p' && actions.control) {
      if (actions.control.paused) {
        actions.control.resume();
        say('dispatching resumed');
      } else {
        actions.control.pause();
        say('paused: no new agent starts; running ones finish (p resumes)');
      }
    } else if (input === 'k' && actions.control) {
      const target = current.mode === 'transcript' ? state.agents.get(current.selected ?? '') : selected;
      if (target && target.state === 'running' && actions.control.skip(target.callKey)) {
        say(`skipped ${target.label}: its agent() returns null`);
      } else say('no running agent selected');
    } else if (input === 'c' && actions.control) {
      if (confirmCancel.current) {
        actions.control.cancel();
        say('cancelling the run…');
      } else say('press c again to cancel the run');
      confirmCancel.current = !confirmCancel.current;
      setTick((tick) => tick + 1);
      return;
    } else if (input === 's' && actions.save) {
      say(actions.save());
    } else if (input === 'q') {
      props.onQuit();
      return;
    }
    confirmCancel.current = false;
    setTick((tick) => tick + 1);
  });

  const lines = monitorFrame(state, view.current, {
    now: now(),
    columns: props.output.columns || 100,
    rows: props.output.rows || 30,
    paused: actions.control?.paused ?? false,
    queued: actions.control?.queued(),
    silenceMs: props.silenceMs ?? DEFAULT_SILENCE_MS,
    canControl: actions.control !== undefined,
    canSave: actions.save !== undefined,
    attached: props.attached ?? false,
  });
  return h(
    Box,
    { flexDirection: 'column' },
    ...lines.map((line, index) =>
      h(
        Text,
        {
          key: index,
          wrap: 'truncate',
          ...(line.color ? { color: line.color } : {}),
          ...(line.bold ? { bold: true } : {}),
          ...(line.inverse ? { inverse: true } : {}),
        },
        line.text || ' ',
      ),
    ),
  );
}

/**
 * Starts painting the monitor on `output` and listening for keys on `input`.
 *
 * @example
 * const monitor = startLiveMonitor({ state, actions: { control, detach: () => {} }, output: process.stderr, input: process.stdin });
 * // … feed events into `state` with applyRunEvent …
 * monitor.stop();
 */
export function startLiveMonitor(options: LiveMonitorOptions): LiveMonitor {
  let stopped = false;
  // The last frame is painted before unmounting, so the screen shows the final counts.
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    instance.rerender(h(MonitorApp, { ...options, onQuit: () => {} }));
    instance.unmount();
  };
  const instance: Instance = render(
    h(MonitorApp, {
      ...options,
      onQuit: () => {
        stop();
        options.actions.detach();
      },
    }),
    { stdout: options.output, stdin: options.input, exitOnCtrlC: false, patchConsole: false },
  );
  return {
    stop,
    get stopped() {
      return stopped;
    },
  };
}
