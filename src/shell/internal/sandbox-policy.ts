/** What one sandboxed command may touch, resolved to real paths before the sandbox starts. */
export interface SandboxPolicy {
  /** Where the command starts. */
  readonly cwd: string;
  /** Directories the command may write (its workspace, a worktree's git directory, extras). */
  readonly writable: readonly string[];
  /** Paths inside a writable directory that stay read-only (git hooks and config). */
  readonly readOnly: readonly string[];
  /** Paths that read as empty: credentials in the home directory, the journal. */
  readonly denied: readonly DeniedPath[];
  /** The command's own temporary directory, seen as /tmp. */
  readonly privateTmp: string;
  /** The parent's proxy socket, when the network allow-list is not empty. */
  readonly proxySocket: string | undefined;
}

export interface DeniedPath {
  readonly path: string;
  readonly kind: 'directory' | 'file';
}

/** Credentials a command never needs and an attacker always wants, relative to the home directory. */
export const HOME_CREDENTIALS: readonly string[] = [
  '.ssh',
  '.aws',
  '.config/gcloud',
  '.azure',
  '.gnupg',
  '.docker/config.json',
  '.netrc',
  '.npmrc',
  '.git-credentials',
];

/** `a` is `b` or below it. */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
}
