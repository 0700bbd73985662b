#!/usr/bin/env node
/**
 * Worktree benchmark (issue 4): the cost of `isolation: 'worktree'`.
 *
 *   1. setup   — creating one agent's worktree + branch, one at a time (goal < 150 ms), and the
 *                finish (commit + merge into the integration branch) of an agent that wrote a file;
 *   2. fan-out — 64 concurrent worktree agents through the whole runtime (simulator over HTTP,
 *                each agent writes its own file with the Write tool), merged into dynaflow/<run>/main.
 *
 * Usage: npm run build && node bench/worktrees.js [--files 500] [--agents 64] [--setup-samples 30]
 * Writes bench/results/worktrees.json.
 */
import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => import(path.join(repoRoot, 'dist', file));
const { createRunWorkspace } = await dist('workspace/index.js');
const { startRun, createAgentTooling } = await dist('runtime/index.js');
const { openMemoryJournal } = await dist('journal/index.js');
const { createAnthropicProvider } = await dist('providers/index.js');
const { startSimulator } = await dist('sim/index.js');
const { parseScript } = await dist('script/index.js');

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '500' },
    agents: { type: 'string', default: '64' },
    'setup-samples': { type: 'string', default: '30' },
    out: { type: 'string', default: path.join(repoRoot, 'bench', 'results', 'worktrees.json') },
  },
});
const fileCount = Number(values.files);
const agentCount = Number(values.agents);
const samples = Number(values['setup-samples']);

/** A repository of `fileCount` small source files in 20 directories, one commit. */
async function fixtureRepository() {
  const base = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-bench-wt-'));
  const root = path.join(base, 'repo');
  const home = path.join(base, 'home');
  await mkdir(home, { recursive: true });
  for (let i = 0; i < fileCount; i++) {
    const directory = path.join(root, 'src', `module-${i % 20}`);
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, `file-${i}.js`), `export const value${i} = ${i};\n`.repeat(20));
  }
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  git('init', '--quiet', '--initial-branch=main');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'fixture');
  return { base, root, home, git };
}

function summarise(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    n: sorted.length,
    mean: round(mean),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted.at(-1)),
  };
}
const round = (value) => Math.round(value * 10) / 10;

async function setupBenchmark() {
  const repo = await fixtureRepository();
  try {
    const workspace = await createRunWorkspace({ projectRoot: repo.root, runId: 'wf_bench_setup' });
    const setup = [];
    const finish = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      const worktree = await workspace.createAgentWorktree({ label: `agent-${i}` });
      setup.push(performance.now() - started);
      await writeFile(path.join(worktree.path, `out-${i}.txt`), `agent ${i}\n`);
      const finishing = performance.now();
      const result = await workspace.finishAgentWorktree(worktree);
      finish.push(performance.now() - finishing);
      if (result.outcome !== 'merged') throw new Error(`agent ${i}: ${result.outcome}`);
    }
    await workspace.cleanupRun();
    return { setupMs: summarise(setup), finishMs: summarise(finish) };
  } finally {
    await rm(repo.base, { recursive: true, force: true });
  }
}

async function fanOutBenchmark() {
  const repo = await fixtureRepository();
  const sim = await startSimulator({ port: 0, seed: 1 });
  const provider = createAnthropicProvider({ apiKey: 'bench', baseURL: sim.url });
  const journal = openMemoryJournal();
  try {
    const script = parseScript(
      `export const meta = { name: 'wt-bench', description: 'worktree fan-out' }
      const results = await parallel(Array.from({ length: ${agentCount} }, (_, i) => () => agent(
        'write file ' + i + '\\n@sim tool Write ' + JSON.stringify({ file_path: 'out/agent-' + i + '.txt', content: 'agent ' + i + '\\n' }) + '\\n@sim reply ok',
        { label: 'agent-' + i, isolation: 'worktree' })))
      return results.filter((r) => r === 'ok').length`,
      'worktree-bench.workflow.js',
    );
    const started = performance.now();
    const outcome = await startRun(
      {
        journal,
        provider,
        projectRoot: repo.root,
        tooling: createAgentTooling({ homeDir: repo.home }),
      },
      { script, args: undefined, limits: { concurrency: agentCount }, seed: 1 },
    );
    const makespanMs = performance.now() - started;
    for (const call of journal.listCalls(outcome.runId)) {
      if (call.status !== 'done' || call.error)
        process.stderr.write(`${call.label}: ${call.status} ${call.error ?? ''}\n`);
    }
    for (const event of journal.listEvents(outcome.runId)) {
      if (event.kind === 'warning') process.stderr.write(`warning: ${event.text}\n`);
    }
    if (outcome.status !== 'done' || outcome.result !== agentCount) {
      throw new Error(
        `fan-out failed: ${outcome.status} ${JSON.stringify(outcome.result)} ${outcome.error?.message ?? ''}`,
      );
    }
    const merged = repo
      .git('ls-tree', '-r', '--name-only', `dynaflow/${outcome.runId}/main`, 'out')
      .split('\n').length;
    const conflicts = journal.listCalls(outcome.runId).filter((call) => call.error !== null).length;
    return {
      agents: agentCount,
      makespanMs: round(makespanMs),
      merged,
      conflicts,
      perAgentMs: round(makespanMs / agentCount),
    };
  } finally {
    journal.close();
    await provider.close?.();
    await sim.close();
    await rm(repo.base, { recursive: true, force: true });
  }
}

const setup = await setupBenchmark();
const fanOut = await fanOutBenchmark();
const report = {
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    node: process.version,
    git: execFileSync('git', ['--version'], { encoding: 'utf8' }).trim(),
  },
  repository: { files: fileCount },
  setup,
  fanOut,
  goal: { setupMeanMs: 150, met: setup.setupMs.mean < 150 },
};
process.stderr.write(
  [
    `worktree setup (${fileCount}-file repo, ${samples} sequential): mean ${setup.setupMs.mean} ms, p50 ${setup.setupMs.p50}, p95 ${setup.setupMs.p95}, max ${setup.setupMs.max} (goal < 150 ms: ${report.goal.met ? 'met' : 'NOT met'})`,
    `finish (commit + merge): mean ${setup.finishMs.mean} ms, p95 ${setup.finishMs.p95}`,
    `${fanOut.agents} concurrent worktree agents: makespan ${fanOut.makespanMs} ms (${fanOut.perAgentMs} ms/agent), ${fanOut.merged} files merged, ${fanOut.conflicts} conflicts`,
  ].join('\n') + '\n',
);
await mkdir(path.dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
