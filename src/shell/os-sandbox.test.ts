import { describe, expect, it } from 'vitest';

import { describeOsSandbox } from './index.js';
import { sandboxExecProfile } from './internal/sandbox-exec-profile.js';

const bubblewrap = { available: true, kind: 'bubblewrap', reason: 'bubblewrap works' } as const;

describe('describeOsSandbox and the macOS profile', () => {
  it('SB-09 one line per state: sandboxed (with the allow-list), unavailable (with the fix), disabled', () => {
    expect(describeOsSandbox('auto', bubblewrap)).toBe(
      'commands sandboxed (bubblewrap): network off, writes only in the workspace',
    );
    expect(describeOsSandbox('auto', bubblewrap, ['registry.npmjs.org'])).toMatch(
      /network only to registry\.npmjs\.org/,
    );
    expect(
      describeOsSandbox('auto', {
        available: false,
        kind: 'none',
        reason: 'bubblewrap not found (apt-get install bubblewrap)',
      }),
    ).toMatch(/^NOT sandboxed: bubblewrap not found \(apt-get install bubblewrap\)/);
    expect(describeOsSandbox('off', bubblewrap)).toMatch(/^sandbox disabled \(--no-sandbox\)/);
  });

  it('SB-10 the sandbox-exec profile denies writes but the workspace, masks credentials, denies network but the proxy', () => {
    const profile = sandboxExecProfile({
      cwd: '/w',
      writable: ['/w'],
      readOnly: ['/w/.git/hooks'],
      denied: [{ path: '/home/u/.ssh', kind: 'directory' }],
      privateTmp: '/tmp/p',
      proxySocket: '/tmp/s.sock',
    });
    expect(profile).toContain('(deny file-write*)');
    expect(profile).toContain('(allow file-write* (subpath "/w") (subpath "/tmp/p") (subpath "/dev"))');
    expect(profile).toContain('(deny file-read* file-write* (subpath "/home/u/.ssh"))');
    expect(profile).toContain('(deny network*)');
    expect(profile).toContain('(path-literal "/tmp/s.sock")');
  });
});
