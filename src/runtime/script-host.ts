/**
 * The host side of the script's globals: `agent()`, `exec()`, `workflow()`, `phase()`, `log()`
 * and `budget`. Every side effect goes through here, so this is where calls are identified,
 * replayed from the journal, scheduled and recorded.
 */
import { DynaflowError, LimitError, ScriptError } from '../errors/index.js';
import type { ScriptHost, JsonValue } from '../sandbox/index.js';
import { checkSchemaSize, type WorkflowMeta } from '../script/index.js';
import { checkSchemaSatisfiable } from '../agent/index.js';
import { readAgentOptions } from './agent-options.js';
import { CallKeyAllocator } from './call-identity.js';
import { runAgentCall } from './agent-call.js';
import { runExecCall } from './exec-call.js';
import { scriptNotesOf } from './script-notes.js';
import type { RunState } from './run-state.js';

/** Past this many agents a run gets the large-workflow warning, as in Claude Code. */
export const LARGE_WORKFLOW_AGENTS = 25;

export interface HostScope {
  /** 0 for the run's own script, 1 inside `workflow()`. */
  readonly depth: number;
  /** Prefix of call keys, so a child workflow's calls never collide with the parent's. */
  readonly namespace: string;
  readonly meta: WorkflowMeta;
  /** Runs a child workflow (given by the runner, which owns script loading). */
  readonly runChild: (reference: JsonValue, args: JsonValue | undefined) => Promise<JsonValue>;
}

export function createScriptHost(state: RunState, scope: HostScope): ScriptHost {
  const keys = new CallKeyAllocator();
  // One function for every call (not a closure per call: a fan-out holds thousands while queued).
  const keyOf = (hash: string): string => scope.namespace + keys.next(hash);
  let currentPhase: string | null = null;
  // Shared by the run and its child workflows: log lines capped, identical warnings said once.
  const notes = scriptNotesOf(state);
  const warn = (message: string): void => notes.warn(message);
  const phaseModel = (phase: string | null): string | undefined =>
    phase === null ? undefined : scope.meta.phases?.find((p) => p.title === phase)?.model;

  return {
    async agent(promptValue, optionsValue, hints) {
      ensureCanStart(state);
      // The prelude already throws a TypeError in the script; this guards any other caller.
      if (typeof promptValue !== 'string') {
        throw new ScriptError(
          'SCRIPT_THREW',
          `agent(prompt): prompt must be a string, got ${promptValue === null ? 'null' : Array.isArray(promptValue) ? 'an array' : typeof promptValue}`,
        );
      }
      const prompt = promptValue;
      const options = readAgentOptions(optionsValue, warn);
      const ordinal = state.scheduler.agents.admit();
      if (ordinal === LARGE_WORKFLOW_AGENTS + 1) {
        warn(
          `large workflow: more than ${LARGE_WORKFLOW_AGENTS} agents scheduled (cap ${state.scheduler.agents.max}); watch the budget with --budget or --max-cost`,
        );
      }
      if (options.schema) {
        // Size first: a schema bomb must not reach ajv, the simulator or a provider.
        checkSchemaSize(options.schema, 'agent() option "schema"');
        checkSchemaSatisfiable(options.schema);
      }
      const phase = options.phase ?? currentPhase;
      // A custom agent type's `model` applies when the call names none (SPEC §1).
      const typeModel =
        options.model === undefined && options.agentType !== undefined
          ? await state.agentTypeModel(options.agentType)
          : undefined;
      const modelName = options.model ?? typeModel ?? phaseModel(phase) ?? state.model;
      return track(
        state,
        runAgentCall(state, {
          prompt,
          options,
          phase,
          model: state.provider.resolveModel(modelName),
          priority: hints.priority,
          keyOf,
          warn,
        }),
      );
    },

    async exec(commandValue, optionsValue) {
      ensureCanStart(state);
      if (typeof commandValue !== 'string' || commandValue.trim() === '') {
        throw new ScriptError('SCRIPT_THREW', 'exec() needs a command string, e.g. exec("npm test")');
      }
      return track(
        state,
        runExecCall(state, {
          command: commandValue,
          options: optionsValue,
          phase: currentPhase,
          keyOf,
          warn,
        }),
      );
    },

    async workflow(reference, args) {
      if (scope.depth >= 1) {
        throw new ScriptError(
          'WORKFLOW_NESTING',
          'workflow() cannot be called inside a child workflow: one level of nesting is allowed',
          { hint: 'call both workflows from the parent script instead' },
        );
      }
      ensureCanStart(state);
      return scope.runChild(reference, args);
    },

    phase(title) {
      currentPhase = String(title);
      state.journal.appendEvent(state.runId, 'phase', currentPhase);
      state.emit({ type: 'phase-start', title: currentPhase });
    },

    log(message) {
      notes.log(message);
    },

    warn,

    budget() {
      return { total: state.scheduler.budget.total, spent: state.scheduler.budget.spent() };
    },
  };
}

/** agent()/exec()/workflow() throw when no new work may start: cancelled run or exhausted ceiling. */
function ensureCanStart(state: RunState): void {
  if (state.signal.aborted) {
    const reason: unknown = state.signal.reason;
    throw DynaflowError.isInstance(reason)
      ? reason
      : new LimitError('RUN_CANCELLED', 'the run was cancelled');
  }
  state.scheduler.budget.check();
  state.scheduler.cost.check();
}

/** Remembers a call until it settles, so the run can stop and wait for it at the end. */
function track<T>(state: RunState, call: Promise<T>): Promise<T> {
  state.pending.add(call);
  const forget = (): void => {
    state.pending.delete(call);
  };
  call.then(forget, forget);
  return call;
}
