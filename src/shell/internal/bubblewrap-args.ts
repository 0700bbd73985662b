/**
 * The bwrap command line for one policy. Order matters (bwrap applies mounts in order): the host
 * read-only — /tmp included, so `ln -s /tmp link && echo x > link/f` fails like any write outside,
 * while what lives under /tmp (a checkout, its node_modules) stays readable — then the command's
 * private temporary directory at its own path (its `TMPDIR`), then the writable directories, then
 * the masks (so a writable project root cannot re-expose its `.dynaflow/`), then writable
 * directories that lie inside a mask again (agent worktrees live under `.dynaflow/worktrees/`),
 * then the read-only git hooks and config.
 */
import { BUBBLEWRAP_BASE_MOUNTS, BUBBLEWRAP_ISOLATION_FLAGS } from '../os-sandbox.js';
import { proxySocketInSandbox } from './proxy-bridge.js';
import { isWithin, type SandboxPolicy } from './sandbox-policy.js';

export function bubblewrapArguments(policy: SandboxPolicy): string[] {
  const args: string[] = [...BUBBLEWRAP_BASE_MOUNTS, '--bind', policy.privateTmp, policy.privateTmp];
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
  if (policy.proxySocket !== undefined) {
    args.push('--bind', policy.proxySocket, proxySocketInSandbox(policy.privateTmp));
  }
  args.push('--chdir', policy.cwd, ...BUBBLEWRAP_ISOLATION_FLAGS, '--');
  return args;
}
