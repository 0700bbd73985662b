/** Helpers of the shell tests: a scratch workspace, a fake home, a parent holding a key. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ShellResult } from '../run-shell.js';

export interface Scratch {
  /** Holds `workspace/`, `home/` (with planted credentials) and `state/` (a fake journal dir). */
  readonly root: string;
  readonly workspace: string;
  readonly home: string;
  readonly state: string;
  remove(): Promise<void>;
}

export const PLANTED_SECRET = 'PLANTED-PRIVATE-KEY-7f3a';

export async function createScratch(): Promise<Scratch> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'dynaflow-shell-')));
  const workspace = path.join(root, 'workspace');
  const home = path.join(root, 'home');
  const state = path.join(root, 'state');
  await mkdir(workspace);
  await mkdir(path.join(home, '.ssh'), { recursive: true });
  await mkdir(path.join(home, '.aws'), { recursive: true });
  await mkdir(state);
  await writeFile(path.join(home, '.ssh', 'id_rsa'), PLANTED_SECRET);
  await writeFile(path.join(home, '.aws', 'credentials'), PLANTED_SECRET);
  await writeFile(path.join(home, '.netrc'), PLANTED_SECRET);
  await writeFile(path.join(state, 'journal.sqlite'), PLANTED_SECRET);
  return { root, workspace, home, state, remove: () => rm(root, { recursive: true, force: true }) };
}

const FIXTURE = fileURLToPath(new URL('./shell-parent.fixture.ts', import.meta.url));
/** The repository root, where `--import tsx` resolves. */
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `command` from a separate parent process started with `parentEnvironment` (exec time). */
export function runFromParent(
  request: { command: string; cwd: string; sandbox: boolean },
  parentEnvironment: Record<string, string>,
): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', FIXTURE, JSON.stringify(request)],
      { cwd: REPOSITORY, env: { ...process.env, ...parentEnvironment }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as ShellResult);
      },
    );
  });
}
