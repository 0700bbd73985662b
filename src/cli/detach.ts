/**
 * `run --detach`: the run goes on in a detached child process — the same CLI with `--yes` and
 * without `--detach` — whose stdout and stderr go to `.dynaflow/runs/<id>/stdout.log` and
 * `stderr.log`. The parent waits for the child's first stderr line (`run <id>`), prints the id
 * and exits 0; `runs`, `monitor`, `cancel` and `resume` then work on it like on any run.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError } from '../errors/index.js';
import type { Clock } from '../scheduler/index.js';
import type { CliIo } from './context.js';

/** The `dynaflow` launcher of this installation. */
const BIN = fileURLToPath(new URL('../../bin/dynaflow.js', import.meta.url));

export interface DetachRequest {
  readonly io: CliIo;
  readonly stateDir: string;
  /** The CLI arguments of the child (`run TARGET --yes …`). */
  readonly argv: readonly string[];
  readonly clock: Clock;
  /** How long to wait for the child to name its run. Default 30 s. */
  readonly timeoutMs?: number;
}

const RUN_LINE = /^run (wf_[a-z0-9-]+)$/m;

export async function detachRun(request: DetachRequest): Promise<number> {
  const { io, stateDir } = request;
  const staging = path.join(stateDir, 'runs', `.detached-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging, { recursive: true });
  const stdoutLog = path.join(staging, 'stdout.log');
  const stderrLog = path.join(staging, 'stderr.log');
  const out = openSync(stdoutLog, 'a');
  const err = openSync(stderrLog, 'a');
  const child = spawn(process.execPath, [BIN, ...request.argv], {
    cwd: io.cwd,
    env: { ...io.env, DYNAFLOW_MONITOR: 'off' },
    stdio: ['ignore', out, err],
    detached: true,
  });
  closeSync(out);
  closeSync(err);
  let exitCode: number | null | undefined;
  child.on('exit', (code) => {
    exitCode = code;
  });
  child.unref();

  const deadline = request.clock.now() + (request.timeoutMs ?? 30_000);
  for (;;) {
    const text = existsSync(stderrLog) ? readFileSync(stderrLog, 'utf8') : '';
    const match = RUN_LINE.exec(text);
    if (match) {
      const runId = match[1]!;
      const logs = moveLogs(stateDir, staging, runId);
      io.stderr(`run ${runId}`);
      io.stderr(`running in the background (pid ${child.pid ?? '?'}); logs in ${logs}`);
      io.stderr(`watch: dynaflow monitor ${runId} · stop: dynaflow cancel ${runId} · list: dynaflow runs`);
      io.stdout(`${runId}\n`);
      return EXIT.done;
    }
    if (exitCode !== undefined) {
      io.stderr(text.trimEnd());
      throw new UsageError('USAGE', `the background run exited (code ${exitCode}) before it started`, {
        hint: `its output is above and in ${stderrLog}`,
      });
    }
    if (request.clock.now() > deadline) {
      throw new UsageError('USAGE', 'the background run did not start in time', {
        hint: `see ${stderrLog}; the process (pid ${child.pid ?? '?'}) may still be starting`,
      });
    }
    await request.clock.sleep(50);
  }
}

/** The logs move next to the run's other files; the child keeps writing to them (same inode). */
function moveLogs(stateDir: string, staging: string, runId: string): string {
  const target = path.join(stateDir, 'runs', runId);
  mkdirSync(target, { recursive: true });
  for (const name of ['stdout.log', 'stderr.log'])
    renameSync(path.join(staging, name), path.join(target, name));
  rmSync(staging, { recursive: true, force: true });
  return target;
}
