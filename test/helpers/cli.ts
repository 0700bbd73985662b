/**
 * Runs the real `dynaflow` command (bin/dynaflow.js → dist/, built by `npm test` before vitest)
 * as a child process, the way users do.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './harness.js';

export const BIN = path.join(REPO_ROOT, 'bin', 'dynaflow.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...cleanEnvironment(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A home folder of this test file's own: personal settings, trusted folders and remembered
 * approvals of the person running the tests never leak in, and tests never write theirs.
 */
export const TEST_HOME = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-test-home-'));

/** The parent's environment without provider settings, so tests choose them explicitly. */
export function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: TEST_HOME };
  for (const name of Object.keys(env)) {
    if (/^(ANTHROPIC_|DYNAFLOW_|CLAUDE_CODE_|OPENAI_|AWS_|AZURE_|CLOUD_ML_)/.test(name)) delete env[name];
  }
  return env;
}
