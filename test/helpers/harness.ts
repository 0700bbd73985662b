/**
 * An end-to-end harness for tests: a real simulator over HTTP, the real anthropic adapter, an
 * in-memory journal, and the runtime. What `--provider sim` does, minus the CLI.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openMemoryJournal, type JournalStore } from '../../src/journal/index.js';
import { createAnthropicProvider, type ModelProvider } from '../../src/providers/index.js';
import {
  resumeRun,
  startRun,
  type RunDependencies,
  type RunEvent,
  type RunOutcome,
  type RunRequest,
} from '../../src/runtime/index.js';
import type { JsonValue } from '../../src/sandbox/index.js';
import { loadScript, parseScript } from '../../src/script/index.js';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../src/sim/index.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Harness {
  readonly sim: SimulatorHandle;
  readonly provider: ModelProvider;
  readonly journal: JournalStore;
  readonly events: RunEvent[];
  readonly deps: RunDependencies;
  /** Runs a script file (path relative to the repo root). */
  runFile(file: string, args?: JsonValue, request?: Partial<RunRequest>): Promise<RunOutcome>;
  /** Runs script text given inline. */
  runText(text: string, args?: JsonValue, request?: Partial<RunRequest>): Promise<RunOutcome>;
  resume(runId: string, request?: Partial<Parameters<typeof resumeRun>[1]>): Promise<RunOutcome>;
  close(): Promise<void>;
}

export async function createHarness(
  options: SimulatorOptions & { projectRoot?: string; deps?: Partial<RunDependencies> } = {},
): Promise<Harness> {
  const { projectRoot = REPO_ROOT, deps: extraDeps, ...simOptions } = options;
  const sim = await startSimulator({ port: 0, seed: 1, ...simOptions });
  const provider = createAnthropicProvider({ apiKey: 'test-key', baseURL: sim.url });
  const journal = openMemoryJournal();
  const events: RunEvent[] = [];
  const deps: RunDependencies = {
    journal,
    provider,
    projectRoot,
    listener: (event) => events.push(event),
    ...extraDeps,
  };
  const run = async (
    script: Awaited<ReturnType<typeof loadScript>>,
    args: JsonValue | undefined,
    request = {},
  ) => startRun(deps, { script, args, seed: 42, ...request });
  return {
    sim,
    provider,
    journal,
    events,
    deps,
    runFile: async (file, args, request) =>
      run(await loadScript(path.resolve(projectRoot, file)), args, request),
    runText: async (text, args, request) => run(parseScript(text, 'inline.workflow.js'), args, request),
    resume: (runId, request) => resumeRun(deps, { runId, ...request }),
    close: async () => {
      journal.close();
      await provider.close?.();
      await sim.close();
    },
  };
}
