/**
 * Which OS sandbox this machine offers, found by trying it: a container may ship `bwrap` and
 * still forbid the namespaces it needs, so the probe runs the same isolation flags commands get.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** `auto`: sandbox commands where the machine can; `off`: `--no-sandbox` / `DYNAFLOW_SANDBOX=off`. */
export type OsSandboxMode = 'auto' | 'off';

export type OsSandboxKind = 'bubblewrap' | 'sandbox-exec' | 'none';

export interface OsSandboxDetection {
  readonly available: boolean;
  readonly kind: OsSandboxKind;
  /** Why it is unavailable (with what to do), or what was found. */
  readonly reason: string;
  /** The program to run (`/usr/bin/bwrap`), when available. */
  readonly executable?: string;
}

/** The mounts every sandboxed command starts from: the host read-only, a fresh /dev and /proc. */
export const BUBBLEWRAP_BASE_MOUNTS = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'] as const;

/** The flags every sandboxed command gets, so the probe fails where commands would. */
export const BUBBLEWRAP_ISOLATION_FLAGS = [
  '--unshare-pid',
  '--unshare-net',
  '--unshare-ipc',
  '--die-with-parent',
  '--new-session',
  '--cap-drop',
  'ALL',
] as const;

const PROBE_TIMEOUT_MS = 10_000;
const MACOS_SANDBOX_EXEC = '/usr/bin/sandbox-exec';

let cached: Promise<OsSandboxDetection> | undefined;

/**
 * Finds and tries the OS sandbox once per process (later calls share the answer).
 *
 * @example
 * const { available, kind, reason } = await detectOsSandbox();
 */
export function detectOsSandbox(): Promise<OsSandboxDetection> {
  cached ??= probe(process.platform, process.env.PATH ?? '');
  return cached;
}

async function probe(platform: NodeJS.Platform, searchPath: string): Promise<OsSandboxDetection> {
  if (platform === 'darwin') {
    return isExecutable(MACOS_SANDBOX_EXEC)
      ? {
          available: true,
          kind: 'sandbox-exec',
          reason: MACOS_SANDBOX_EXEC,
          executable: MACOS_SANDBOX_EXEC,
        }
      : { available: false, kind: 'none', reason: `${MACOS_SANDBOX_EXEC} not found` };
  }
  if (platform !== 'linux') {
    return { available: false, kind: 'none', reason: `no OS sandbox is supported on ${platform}` };
  }
  const bwrap = findOnPath('bwrap', searchPath);
  if (bwrap === undefined) {
    return {
      available: false,
      kind: 'none',
      reason: 'bubblewrap not found (apt-get install bubblewrap, or dnf install bubblewrap)',
    };
  }
  const failure = await tryBubblewrap(bwrap);
  return failure === undefined
    ? { available: true, kind: 'bubblewrap', reason: bwrap, executable: bwrap }
    : {
        available: false,
        kind: 'none',
        reason: `bubblewrap cannot create its namespaces here (${failure}); containers often forbid user namespaces`,
      };
}

function tryBubblewrap(bwrap: string): Promise<string | undefined> {
  const argv = [...BUBBLEWRAP_BASE_MOUNTS, ...BUBBLEWRAP_ISOLATION_FLAGS, 'true'];
  return new Promise((resolve) => {
    execFile(
      bwrap,
      argv,
      { timeout: PROBE_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '' } },
      (error, _out, stderr) => {
        if (!error) return resolve(undefined);
        const said = stderr.trim().split('\n').pop();
        resolve(said ? said : error.message);
      },
    );
  });
}

function findOnPath(program: string, searchPath: string): string | undefined {
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The one line the plan card and `dynaflow doctor` show about commands' isolation.
 *
 * @example
 * describeOsSandbox('auto', await detectOsSandbox(), []);
 * // "commands sandboxed (bubblewrap): network off, writes only in the workspace"
 */
export function describeOsSandbox(
  mode: OsSandboxMode,
  detection: OsSandboxDetection,
  networkAllow: readonly string[] = [],
): string {
  if (mode === 'off')
    return 'sandbox disabled (--no-sandbox): commands run with your full file and network access';
  if (!detection.available) {
    return `NOT sandboxed: ${detection.reason} — commands run with your full file and network access (--no-sandbox silences this)`;
  }
  const network = networkAllow.length === 0 ? 'network off' : `network only to ${networkAllow.join(', ')}`;
  return `commands sandboxed (${detection.kind}): ${network}, writes only in the workspace`;
}
