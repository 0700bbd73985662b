/**
 * KS-22..: with keys in the environment, `bin/dynaflow.js` is a launcher and the run happens in a
 * child runtime; Ctrl-C and `kill -INT` must still stop the run the way they did in one process
 * (the run ends interrupted, resumable, exit 130).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BIN, cleanEnvironment } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/harness.js';
import {
  readJournalFile,
  runIdOf,
  scratchProject,
  simEnvironment,
  startExternalSim,
  type ExternalSim,
  type Scratch,
} from './resume-support.js';

const KEY = 'sk-ant-test-KS22-signals-0123456789abcdef';
// Slow agents: without a working interrupt this run would last 20 s and end done.
const SLOW = `export const meta = { name: 'slow', description: 'slow agents' }
return await parallel([1, 2].map((i) => () => agent('wait ' + i + '\\n@sim latency 20000\\n@sim reply late')))
`;

let sim: ExternalSim;
beforeAll(async () => {
  sim = await startExternalSim(1);
});
afterAll(async () => sim.stop());

/**
 * Starts a run in its own process group (as a shell does for a foreground job), waits until its
 * agents are in flight, then sends SIGINT to the launcher alone or to the whole group (what the
 * terminal does on Ctrl-C: the launcher and the runtime both get it).
 */
async function interruptRun(
  scratch: Scratch,
  target: 'launcher' | 'group',
): Promise<{ code: number | null; stderr: string; runId: string }> {
  const script = scratch.script('slow.workflow.js', SLOW);
  const child = spawn(process.execPath, [BIN, 'run', script, '--yes', '--state-dir', scratch.stateDir], {
    cwd: scratch.dir,
    env: { ...cleanEnvironment(), ...simEnvironment(sim, KEY) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stdout.resume();
  const started = new Promise<void>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if ((stderr.match(/^ {2}… /gm) ?? []).length >= 2) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await Promise.race([started, exited]);
  const pid = child.pid ?? 0;
  process.kill(target === 'group' ? -pid : pid, 'SIGINT');
  const code = await exited;
  return { code, stderr, runId: runIdOf(stderr) };
}

function runStatus(scratch: Scratch, runId: string): unknown {
  return readJournalFile(scratch, (db) =>
    db.prepare(`SELECT status FROM runs WHERE id = ?`).pluck().get(runId),
  );
}

describe('signals through the launcher', () => {
  it('KS-22 SIGINT to the launcher reaches the runtime: the run ends interrupted, exit 130', async () => {
    const scratch = scratchProject('ks22');
    const { code, stderr, runId } = await interruptRun(scratch, 'launcher');
    expect(code, stderr).toBe(130);
    expect(stderr).toContain(`dynaflow resume ${runId}`);
    expect(runStatus(scratch, runId)).toBe('interrupted');
  });

  it('KS-23 Ctrl-C to the whole process group is one interrupt, not two (no hard kill of the runtime)', async () => {
    const scratch = scratchProject('ks23');
    const { code, stderr, runId } = await interruptRun(scratch, 'group');
    expect(code, stderr).toBe(130);
    expect(runStatus(scratch, runId)).toBe('interrupted');
  });

  /**
   * A node process with the runtime's guard and a one-shot SIGINT listener (the CLI's), sent a
   * second SIGINT `gapMs` after the first: within the guard's window it is the launcher's copy of
   * one Ctrl-C; later, a real second Ctrl-C, which must still stop the process at once.
   */
  function twoInterrupts(gapMs: number): { stdout: string; status: number | null; signal: string | null } {
    const environmentDoor = pathToFileURL(path.join(REPO_ROOT, 'dist/environment/index.js')).href;
    const program = `
      import { absorbForwardedDuplicateSignals } from ${JSON.stringify(environmentDoor)};
      absorbForwardedDuplicateSignals();
      process.once('SIGINT', () => console.log('interrupt'));
      process.kill(process.pid, 'SIGINT');
      setTimeout(() => process.kill(process.pid, 'SIGINT'), ${gapMs});
      setTimeout(() => { console.log('still running'); process.exit(0); }, ${gapMs} + 400);
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    return { stdout: result.stdout, status: result.status, signal: result.signal };
  }

  it('KS-24 the runtime absorbs the duplicate of one Ctrl-C, and still dies on a real second one', () => {
    expect(twoInterrupts(30)).toEqual({ stdout: 'interrupt\nstill running\n', status: 0, signal: null });
    expect(twoInterrupts(600)).toEqual({ stdout: 'interrupt\n', status: null, signal: 'SIGINT' });
  });
});
