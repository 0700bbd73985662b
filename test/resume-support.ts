/**
 * Shared by the RS-* tests: an external `dynaflow sim` process, `dynaflow` commands spawned the
 * way users run them (bin/dynaflow.js → dist/, built before vitest), and reading the journal file
 * the way an outside tool would (better-sqlite3, read-only).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BIN, cleanEnvironment, runCli, type CliResult } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/harness.js';

export interface ExternalSim {
  readonly url: string;
  requests(): Promise<number>;
  stop(): Promise<void>;
}

/** `node bin/dynaflow.js sim --latency MS` on a free port; resolves once it listens. */
export async function startExternalSim(
  latencyMs: number,
  extraArgs: readonly string[] = [],
): Promise<ExternalSim> {
  const child = spawn(
    process.execPath,
    [BIN, 'sim', '--latency', String(latencyMs), '--seed', '1', ...extraArgs],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const match = /^listening (http:\/\/\S+)\n/.exec(buffer);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`sim exited with ${code} before listening`)));
  });
  child.stdout.resume();
  return {
    url,
    requests: async () => {
      const stats = (await (await fetch(`${url}/_sim/stats`)).json()) as { byRoute?: Record<string, number> };
      // Only model requests: the stats route counts itself.
      return stats.byRoute?.['anthropic.messages'] ?? 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A scratch project: a folder with a state dir inside, and a way to write scripts into it. */
export interface Scratch {
  readonly dir: string;
  readonly stateDir: string;
  script(name: string, text: string): string;
}

export function scratchProject(prefix: string): Scratch {
  const dir = mkdtempSync(path.join(os.tmpdir(), `dynaflow-${prefix}-`));
  const stateDir = path.join(dir, '.dynaflow');
  return {
    dir,
    stateDir,
    script: (name, text) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
  };
}

/** Environment that aims the anthropic provider at the simulator. */
export function simEnvironment(sim: ExternalSim, apiKey = 'test-key'): NodeJS.ProcessEnv {
  return { ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: sim.url, DYNAFLOW_PROVIDER: 'anthropic' };
}

export function dynaflow(
  args: readonly string[],
  scratch: Scratch,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return runCli([...args, '--state-dir', scratch.stateDir], { cwd: scratch.dir, env });
}

/** A `dynaflow` process left running, to be killed, interrupted or raced by the test. */
export interface LiveCli {
  readonly child: ChildProcessWithoutNullStreams;
  stderr(): string;
  stdout(): string;
  /** Resolves once stderr matches (checked on every chunk). */
  waitForStderr(test: (stderr: string) => boolean): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnDynaflow(
  args: readonly string[],
  scratch: Scratch,
  env: NodeJS.ProcessEnv = {},
): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args, '--state-dir', scratch.stateDir], {
    cwd: scratch.dir,
    env: { ...cleanEnvironment(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const watcher of [...watchers]) watcher();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    waitForStderr: (test) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!test(stderr)) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
        void exited.then(() => {
          if (!watchers.has(check)) return;
          watchers.delete(check);
          if (test(stderr)) resolve();
          else reject(new Error(`dynaflow exited before the expected output:\n${stderr.slice(-2000)}`));
        });
      }),
  };
}

/**
 * The pid that drives the run (holds its lock): with keys in the environment `bin/dynaflow.js` is
 * a launcher and the runtime is its one child (src/environment/relaunch.ts); else the process itself.
 */
export function driverPid(live: LiveCli): number {
  const pid = live.child.pid ?? 0;
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return children.length === 1 && children[0] ? Number(children[0]) : pid;
  } catch {
    return pid;
  }
}

/** The run id from the first stderr line `run <id>`. */
export function runIdOf(stderr: string): string {
  const match = /^run (wf_[a-z0-9-]+)$/m.exec(stderr);
  if (!match?.[1]) throw new Error(`no "run <id>" line in:\n${stderr.slice(0, 2000)}`);
  return match[1];
}

/** Agents finished live (not from the journal) by this process, from its progress lines. */
export function liveCompletions(stderr: string): number {
  return stderr.split('\n').filter((line) => /^ {2}✓ .* — done, /.test(line)).length;
}

/** Opens the journal file as an outside tool would: read-only, not through dynaflow. */
export function readJournalFile<T>(scratch: Scratch, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(scratch.stateDir, 'dynaflow.db'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A small seeded PRNG (mulberry32), so random kill moments are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
