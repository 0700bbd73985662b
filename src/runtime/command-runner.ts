/**
 * The default runner of `exec()` commands: `bash -c` in the given directory, with a timeout that
 * kills the whole process group, and the environment scrubbed of credentials.
 */
import { spawn } from 'node:child_process';
import { scrubEnvironment } from '../environment/index.js';
import type { CommandRunner } from './run-state.js';

const OUTPUT_CAP = 1024 * 1024;

export const runShellCommand: CommandRunner = ({ command, cwd, timeoutMs, signal }) =>
  new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      // The same credential scrub as agents' Bash tool: exec() must not hand API keys to a build.
      env: scrubEnvironment(process.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killedFor: string | null = null;
    const kill = (why: string): void => {
      killedFor = why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = (): void => kill('cancelled');
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = keepTail(stdout + chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = keepTail(stderr + chunk);
    });
    const finish = (code: number): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ code, stdout, stderr: killedFor ? `${stderr}\n[dynaflow: ${killedFor}]` : stderr });
    };
    child.on('error', (error) => {
      stderr += String(error.message);
      finish(127);
    });
    child.on('close', (code, killSignal) => finish(code ?? (killSignal ? 128 + 9 : 1)));
  });

/** Build and test logs end with what matters: keep the tail when output is huge. */
function keepTail(text: string): string {
  return text.length > OUTPUT_CAP ? text.slice(text.length - OUTPUT_CAP) : text;
}
