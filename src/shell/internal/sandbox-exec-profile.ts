/**
 * macOS: a `sandbox-exec` profile for one policy (Seatbelt, the mechanism Apple's own tools and
 * Claude Code use). Written and documented, not tested here: the CI machines are Linux. There is
 * no network namespace, so the proxy's Unix socket is the one network path allowed; without a
 * loopback bridge, only tools that speak to a Unix-socket proxy can use it (see the README).
 */
import type { SandboxPolicy } from './sandbox-policy.js';

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function sandboxExecProfile(policy: SandboxPolicy): string {
  const lines = ['(version 1)', '(allow default)', '(deny file-write*)'];
  const writable = [...policy.writable, policy.privateTmp, '/dev'];
  lines.push(`(allow file-write* ${writable.map((directory) => `(subpath ${quote(directory)})`).join(' ')})`);
  for (const file of policy.readOnly) lines.push(`(deny file-write* (subpath ${quote(file)}))`);
  for (const denied of policy.denied) {
    const filter = denied.kind === 'directory' ? 'subpath' : 'literal';
    lines.push(`(deny file-read* file-write* (${filter} ${quote(denied.path)}))`);
  }
  lines.push('(deny network*)');
  if (policy.proxySocket !== undefined) {
    lines.push(`(allow network-outbound (remote unix-socket (path-literal ${quote(policy.proxySocket)})))`);
  }
  // Other processes' environments: deny inspecting any process but our own descendants.
  lines.push('(deny process-info* (target others))');
  return lines.join('\n');
}

export function sandboxExecArguments(policy: SandboxPolicy): string[] {
  return ['-p', sandboxExecProfile(policy), '--'];
}
