/**
 * The one external simulator every measurement of a bench run talks to: `dynaflow sim` in its
 * own process (so its CPU is not charged to any client), on a free loopback port.
 */
import { clearTimeout, setTimeout } from 'node:timers';
import process from 'node:process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const STARTUP_TIMEOUT_MS = 15_000;

/** Starts `node bin/dynaflow.js sim --latency MS --seed 1`; resolves to `{ url, pid, stop() }`. */
export async function startExternalSimulator({ repoRoot, latencyMs, seed = 1 }) {
  const child = spawn(
    process.execPath,
    ['bin/dynaflow.js', 'sim', '--latency', String(latencyMs), '--seed', String(seed)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const firstLine = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`simulator did not start in time\n${stderr}`)),
      STARTUP_TIMEOUT_MS,
    );
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code} before listening\n${stderr}`));
    });
  });
  const match = /^listening (http:\/\/\S+)$/.exec(firstLine);
  if (!match) {
    child.kill();
    throw new Error(`unexpected first simulator line: ${firstLine}`);
  }
  // Keep draining stdout so the simulator never blocks on a full pipe.
  child.stdout.resume();
  return {
    url: match[1],
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The simulator's counters (requests, tokens), to check that every client really hit it. */
export async function simulatorStats(url) {
  const response = await globalThis.fetch(`${url}/_sim/stats`);
  return response.json();
}
