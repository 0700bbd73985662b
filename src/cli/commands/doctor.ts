/**
 * `dynaflow doctor` — what this machine offers dynaflow: Node, the OS sandbox for commands (and
 * why not, with what to do), git for worktrees, ripgrep for Grep, and the state directory.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { EXIT } from '../../errors/index.js';
import { resolveStateDir } from '../../journal/index.js';
import { describeOsSandbox, detectOsSandbox } from '../../shell/index.js';
import type { CliIo } from '../context.js';

export interface DoctorFlags {
  readonly stateDir?: string;
}

const MINIMUM_NODE = [20, 18, 1] as const;

export async function doctorCommand(io: CliIo, projectRoot: string, flags: DoctorFlags): Promise<number> {
  const sandbox = await detectOsSandbox();
  const mode = io.env.DYNAFLOW_SANDBOX === 'off' ? 'off' : 'auto';
  const [git, ripgrep] = await Promise.all([versionOf('git'), versionOf('rg')]);
  const stateDir = resolveStateDir(projectRoot, flags.stateDir);
  const lines = [
    `node      ${process.version}${nodeIsRecentEnough() ? '' : ` — too old: dynaflow needs >= ${MINIMUM_NODE.join('.')}`}`,
    `sandbox   ${describeOsSandbox(mode, sandbox)}`,
    `          ${sandbox.kind === 'none' ? 'none' : sandbox.kind}: ${sandbox.available ? 'works' : 'unavailable'} (${sandbox.reason})`,
    `git       ${git ?? 'not found: worktree isolation (isolation: "worktree") needs git'}`,
    `ripgrep   ${ripgrep ?? 'not found: Grep uses its slower JavaScript search (install ripgrep for speed)'}`,
    `state dir ${stateDir} (${await stateDirectoryStatus(stateDir)})`,
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.done;
}

function nodeIsRecentEnough(): boolean {
  const parts = process.versions.node.split('.').map(Number);
  for (let index = 0; index < MINIMUM_NODE.length; index += 1) {
    const have = parts[index] ?? 0;
    const need = MINIMUM_NODE[index]!;
    if (have !== need) return have > need;
  }
  return true;
}

function versionOf(program: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(program, ['--version'], { timeout: 5_000 }, (error, stdout) => {
      resolve(error ? undefined : stdout.split('\n')[0]?.trim());
    });
  });
}

async function stateDirectoryStatus(stateDir: string): Promise<string> {
  try {
    await access(stateDir, constants.W_OK);
    return 'writable';
  } catch {
    try {
      await access(path.dirname(stateDir), constants.W_OK);
      return 'not created yet; will be at the first run';
    } catch {
      return 'NOT writable: use --state-dir';
    }
  }
}
