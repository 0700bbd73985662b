/**
 * The bwrap command line for one policy. Order matters (bwrap applies mounts in order): an empty
 * /tmp first (the host's temporary files are not the command's to read), the command's private
 * temporary directory at PRIVATE_TMP_IN_SANDBOX (its `TMPDIR`), then the writable directories
 * (a workspace may live under /tmp), then the
 * masks (so a writable project root cannot re-expose its `.dynaflow/`), then writable directories
 * that lie inside a mask again (agent worktrees live under `.dynaflow/worktrees/`), then the
 * read-only git hooks and config.
 *
 * A writable directory below /tmp would otherwise get its parents created as fresh, writable
 * directories in the private /tmp: its top-level ancestor there is bound from the host read-only
 * first, so `../outside` of a workspace in /tmp fails like anywhere else.
 */
import { BUBBLEWRAP_BASE_MOUNTS, BUBBLEWRAP_ISOLATION_FLAGS } from '../os-sandbox.js';
import { PROXY_SOCKET_IN_SANDBOX } from './proxy-bridge.js';
import { isWithin, type SandboxPolicy } from './sandbox-policy.js';

/** Where a command's private temporary directory appears inside the sandbox (its `TMPDIR`). */
export const PRIVATE_TMP_IN_SANDBOX = '/tmp/dynaflow-private-tmp';

export function bubblewrapArguments(policy: SandboxPolicy): string[] {
  const args: string[] = [
    ...BUBBLEWRAP_BASE_MOUNTS,
    '--tmpfs',
    '/tmp',
    '--bind',
    policy.privateTmp,
    PRIVATE_TMP_IN_SANDBOX,
  ];
  const hostTmpAncestors = new Set(
    policy.writable
      .filter((directory) => isWithin(directory, '/tmp') && directory !== '/tmp')
      .map(topBelowTmp),
  );
  for (const ancestor of hostTmpAncestors) args.push('--ro-bind', ancestor, ancestor);
  for (const directory of policy.writable) args.push('--bind', directory, directory);
  for (const denied of policy.denied) {
    if (denied.kind === 'directory') args.push('--tmpfs', denied.path);
    else args.push('--ro-bind', '/dev/null', denied.path);
  }
  for (const directory of policy.writable) {
    if (policy.denied.some((denied) => isWithin(directory, denied.path) && directory !== denied.path)) {
      args.push('--bind', directory, directory);
    }
  }
  for (const file of policy.readOnly) args.push('--ro-bind', file, file);
  if (policy.proxySocket !== undefined) args.push('--bind', policy.proxySocket, PROXY_SOCKET_IN_SANDBOX);
  // Last, once every mount point below it exists: /tmp itself becomes read-only (the binds inside
  // keep their own flags), so `ln -s /tmp link && echo x > link/f` fails like any write outside.
  args.push('--remount-ro', '/tmp');
  args.push('--chdir', policy.cwd, ...BUBBLEWRAP_ISOLATION_FLAGS, '--');
  return args;
}

/** `/tmp/a/b/c` → `/tmp/a`. */
function topBelowTmp(directory: string): string {
  return `/tmp/${directory.slice('/tmp/'.length).split('/')[0]!}`;
}
