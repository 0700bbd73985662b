/**
 * Runs one client command as its own process and measures what the bench reports: wall time from
 * spawn to exit (process start included), peak RSS and CPU time of that process.
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f …`) when it is installed; otherwise from a
 * `--import` preload that writes `process.resourceUsage()` at exit. Both measure the node process
 * running the client, not the bench.
 */
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const PRELOAD = fileURLToPath(new URL('./report-usage.js', import.meta.url));

export const rssSource = existsSync(GNU_TIME) ? 'gnu-time' : 'resource-usage-preload';

let counter = 0;

/**
 * @param {{ nodeArgs: string[], cwd: string, env: Record<string,string> }} command
 *   `nodeArgs` = what follows `node` (script and its flags).
 * @returns {Promise<{ wallMs, exitCode, stdout, stderr, peakRssMb, cpuSeconds }>}
 */
export async function measureProcess({ nodeArgs, cwd, env }) {
  const usageFile = path.join(tmpdir(), `dynaflow-bench-usage-${process.pid}-${counter++}`);
  const [file, argv, extraEnv] =
    rssSource === 'gnu-time'
      ? [GNU_TIME, ['-f', '%M %U %S', '-o', usageFile, process.execPath, ...nodeArgs], {}]
      : [process.execPath, ['--import', PRELOAD, ...nodeArgs], { DYNAFLOW_BENCH_USAGE_FILE: usageFile }];
  const started = performance.now();
  const child = spawn(file, argv, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exitCode = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  const usage = await readUsage(usageFile);
  return { wallMs, exitCode, stdout, stderr, ...usage };
}

async function readUsage(usageFile) {
  try {
    const text = (await readFile(usageFile, 'utf8')).trim().split('\n').at(-1) ?? '';
    const [maxRssKb, user, system] = text.split(/\s+/).map(Number);
    return { peakRssMb: maxRssKb / 1024, cpuSeconds: user + system };
  } catch {
    return { peakRssMb: Number.NaN, cpuSeconds: Number.NaN };
  } finally {
    await rm(usageFile, { force: true });
  }
}
