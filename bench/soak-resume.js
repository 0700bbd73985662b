#!/usr/bin/env node
/**
 * Crash soak (the long version of test RS-01): a fan-out run is killed with SIGKILL at seeded
 * random moments many times and resumed each time; then it must finish with the same result as an
 * uninterrupted run, a journal that passes `PRAGMA integrity_check`, and no completed call
 * requested twice (simulator requests ≤ agents + kills × concurrency). Build first, then:
 *
 *   node bench/soak-resume.js [--agents 2000] [--concurrency 32] [--kills 12] [--latency 30] [--seed 7]
 *
 * Prints one line per kill and a verdict; exit 1 when a check failed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { simulatorStats, startExternalSimulator } from './internal/simulator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const Database = createRequire(import.meta.url)('better-sqlite3');
const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    kills: { type: 'string', default: '12' },
    latency: { type: 'string', default: '30' },
    seed: { type: 'string', default: '7' },
  },
});
const agents = Number(values.agents);
const concurrency = Number(values.concurrency);
const kills = Number(values.kills);
const random = seededRandom(Number(values.seed));

const SCRIPT = `export const meta = { name: 'soak', description: 'crash soak fan-out' }
const BATCH = 4096
const batches = []
for (let start = 0; start < args.n; start += BATCH) {
  batches.push(parallel(Array.from({ length: Math.min(BATCH, args.n - start) }, (_, k) => () =>
    agent('soak item ' + (start + k) + ': say something about it', { label: 'item-' + (start + k) }))))
}
const answers = (await Promise.all(batches)).flat()
return { answered: answers.filter((a) => a !== null).length, answers }
`;

const project = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-soak-'));
const script = path.join(project, 'soak.workflow.js');
writeFileSync(script, SCRIPT);
const sim = await startExternalSimulator({ repoRoot, latencyMs: Number(values.latency) });
const env = {
  ...process.env,
  ANTHROPIC_API_KEY: 'soak',
  ANTHROPIC_BASE_URL: sim.url,
  DYNAFLOW_PROVIDER: 'anthropic',
};
const runFlags = [
  '--concurrency',
  String(concurrency),
  '--max-agents',
  String(Math.max(1000, agents)),
  '--args',
  JSON.stringify({ n: agents }),
];
const checks = [];

try {
  const reference = await dynaflow(
    ['run', script, '--yes', '--quiet', ...runFlags],
    path.join(project, 'reference-state'),
  );
  if (reference.code !== 0)
    throw new Error(`uninterrupted run failed (exit ${reference.code}):\n${reference.stderr.slice(-2000)}`);
  const expected = JSON.parse(reference.stdout);

  const stateDir = path.join(project, '.dynaflow');
  const before = (await simulatorStats(sim.url)).requests;
  let runId;
  let doneSoFar = 0;
  const started = performance.now();
  for (let kill = 1; kill <= kills; kill += 1) {
    const args = runId === undefined ? ['run', script, '--yes', ...runFlags] : ['resume', runId];
    const live = spawnLive(args, stateDir);
    await live.until((text) => /^run wf_/m.test(text));
    runId ??= /^run (wf_[a-z0-9-]+)$/m.exec(live.stderr())[1];
    const left = agents - doneSoFar;
    // Sometimes during replay (0 new), otherwise after a random share of what is left.
    const target = random() < 0.2 ? 0 : Math.floor(random() * (left / (kills - kill + 2)));
    await live.until((text) => liveDone(text) >= target);
    await new Promise((resolve) => setTimeout(resolve, random() * 50));
    live.child.kill('SIGKILL');
    await live.exited;
    doneSoFar += liveDone(live.stderr());
    process.stdout.write(`kill ${kill}/${kills}: ${doneSoFar} of ${agents} agents done\n`);
    if (doneSoFar >= agents) break;
  }
  const final = await dynaflow(['resume', runId, '--quiet'], stateDir);
  const elapsed = performance.now() - started;
  const requests = (await simulatorStats(sim.url)).requests - before;
  const db = new Database(path.join(stateDir, 'dynaflow.db'), { readonly: true });
  const integrity = db.pragma('integrity_check', { simple: true });
  const statuses = db
    .prepare('SELECT status, count(*) AS n FROM calls WHERE run_id = ? GROUP BY status')
    .all(runId);
  db.close();

  checks.push(['final resume exits 0', final.code === 0]);
  checks.push([
    'result equals the uninterrupted run',
    final.code === 0 && JSON.stringify(JSON.parse(final.stdout)) === JSON.stringify(expected),
  ]);
  checks.push([`PRAGMA integrity_check = ${integrity}`, integrity === 'ok']);
  checks.push([
    `calls: ${statuses.map((s) => `${s.n} ${s.status}`).join(', ')}`,
    statuses.length === 1 && statuses[0].status === 'done' && statuses[0].n === agents,
  ]);
  checks.push([
    `requests ${requests} ≤ agents + kills × concurrency = ${agents + kills * concurrency}`,
    requests >= agents && requests <= agents + kills * concurrency,
  ]);
  process.stdout.write(
    `\n${agents} agents, ${kills} kills, ${Math.round(elapsed)} ms from first start to finish\n`,
  );
  for (const [text, ok] of checks) process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'} ${text}\n`);
} finally {
  await sim.stop();
  rmSync(project, { recursive: true, force: true });
}
process.exitCode = checks.length > 0 && checks.every(([, ok]) => ok) ? 0 : 1;

function dynaflow(args, stateDir) {
  const live = spawnLive(args, stateDir);
  return live.exited.then(({ code }) => ({ code, stdout: live.stdout(), stderr: live.stderr() }));
}

function spawnLive(args, stateDir) {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'dynaflow.js'), ...args, '--state-dir', stateDir],
    {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const waiters = new Set();
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
    for (const waiter of [...waiters]) waiter();
  });
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    until: (test) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!test(stderr)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
        exited.then(() => {
          if (waiters.delete(check))
            (test(stderr) ? resolve : reject)(new Error(`exited early:\n${stderr.slice(-1500)}`));
        });
      }),
  };
}

/** Agents finished live (not replayed) by one process, from its progress lines. */
function liveDone(stderr) {
  return stderr.split('\n').filter((line) => /^ {2}✓ .* — done, /.test(line)).length;
}

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
