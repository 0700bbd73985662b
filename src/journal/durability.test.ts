import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from './index.js';
import { newRunInput } from './internal/test-fixtures.js';

const CHILD = fileURLToPath(new URL('./fixtures/durability-child.ts', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Kill once this many completions were confirmed: mid-flight, with many waves behind it. */
const KILL_AFTER = 1_500;

/** Runs the child until it confirmed KILL_AFTER completions, then SIGKILLs it; returns every key it printed. */
function runAndKill(stateDir: string, runId: string): Promise<{ keys: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, stateDir, runId], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keys: string[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line !== 'ready') keys.push(line);
      if (keys.length >= KILL_AFTER && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    // 'close' waits for stdout to drain: every line printed before the kill is in `keys`.
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ keys, signal });
    });
  });
}

describe('durability', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-durability-'));
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('every completion the script saw survives kill -9 of the driver, and its lock is recovered', async () => {
    const setup = openJournal({ stateDir });
    const runId = setup.createRun(newRunInput()).id;
    setup.close();

    const { keys } = await runAndKill(stateDir, runId);
    expect(keys.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const raw = new Database(join(stateDir, 'dynaflow.db'));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const journal = openJournal({ stateDir });
    const completed = journal.completedCalls(runId);
    const missing = keys.filter((key) => !completed.has(key));
    expect(missing).toEqual([]);
    for (const key of keys.slice(0, 50))
      expect(completed.get(key)?.resultJson).toBe(JSON.stringify({ callKey: key }));
    // The killed driver's lock is taken over, not an obstacle.
    const lock = journal.acquireLock(runId);
    expect(lock.tookOverFrom).not.toBeNull();
    console.log(
      `durability: ${keys.length} confirmed before kill -9, ${completed.size} committed, ` +
        `${journal.listCalls(runId).length - completed.size} left running`,
    );
    journal.close();
  });
});
