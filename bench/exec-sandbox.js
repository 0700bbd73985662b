#!/usr/bin/env node
/**
 * The OS sandbox's cost per command (issue 12): a workflow runs `exec('true')` 100 times, one
 * after another, through the whole runtime (journal, scheduler slot, shell runner), once with
 * the sandbox on (bubblewrap where available) and once with `--no-sandbox`; the difference per
 * command is what the sandbox costs. Rounds alternate so that machine noise hits both alike.
 *
 * Usage: npm run build && node bench/exec-sandbox.js [--commands 100] [--rounds 3]
 * Writes bench/results/exec-sandbox.json.
 */
import process from 'node:process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => import(path.join(repoRoot, 'dist', file));
const { startRun } = await dist('runtime/index.js');
const { openMemoryJournal } = await dist('journal/index.js');
const { createAnthropicProvider } = await dist('providers/index.js');
const { parseScript } = await dist('script/index.js');
const { detectOsSandbox, describeOsSandbox } = await dist('shell/index.js');

const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(repoRoot, 'bench', 'results', 'exec-sandbox.json') },
  },
});
const commands = Number(values.commands);
const rounds = Number(values.rounds);

const script = parseScript(
  `export const meta = { name: 'exec-bench', description: 'exec("true") in a row' }
  let failed = 0
  for (let i = 0; i < ${commands}; i++) if ((await exec('true #' + i)).code !== 0) failed++
  return failed`,
  'exec-bench.workflow.js',
);

/** One run of the workflow; milliseconds per command. */
async function measure(projectRoot, mode) {
  // No model is called: the provider is only there because a run needs one.
  const provider = createAnthropicProvider({ apiKey: 'bench', baseURL: 'http://127.0.0.1:9' });
  const journal = openMemoryJournal();
  try {
    const started = performance.now();
    const outcome = await startRun(
      { journal, provider, projectRoot, osSandbox: { mode } },
      { script, args: undefined },
    );
    const elapsed = performance.now() - started;
    if (outcome.status !== 'done' || outcome.result !== 0) {
      throw new Error(
        `${mode}: run ended ${outcome.status} (${outcome.error?.message ?? `${outcome.result} failed`})`,
      );
    }
    return elapsed / commands;
  } finally {
    journal.close();
  }
}

const detection = await detectOsSandbox();
const scratch = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-exec-bench-'));
const samples = { auto: [], off: [] };
try {
  await writeFile(path.join(scratch, 'README.md'), '# bench\n');
  await measure(scratch, 'off'); // warm-up: module loading, first spawn
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? ['auto', 'off'] : ['off', 'auto'];
    for (const mode of order) samples[mode].push(await measure(scratch, mode));
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const report = {
  commands,
  rounds,
  sandbox: describeOsSandbox('auto', detection),
  msPerCommand: { sandboxed: median(samples.auto), unsandboxed: median(samples.off) },
  sandboxCostMsPerCommand: median(samples.auto) - median(samples.off),
  samples,
};
process.stdout.write(`exec('true') × ${commands}, ${rounds} rounds (median) — ${report.sandbox}\n`);
process.stdout.write(`  sandboxed    ${report.msPerCommand.sandboxed.toFixed(2)} ms per command\n`);
process.stdout.write(`  --no-sandbox ${report.msPerCommand.unsandboxed.toFixed(2)} ms per command\n`);
process.stdout.write(`  sandbox cost ${report.sandboxCostMsPerCommand.toFixed(2)} ms per command\n`);
await mkdir(path.dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
