import { describe, expect, it } from 'vitest';

import { checkExecPermission, createPermissionPolicy } from './index.js';

const WORKSPACE = '/work/repo';

describe('PermissionPolicy', () => {
  it('PM-01 allows everything inside the workspace by default', () => {
    const policy = createPermissionPolicy();
    expect(policy.check('Bash', { command: 'rm -rf build' }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('Edit', { file_path: 'src/a.ts' }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('WebFetch', { url: 'x' }, WORKSPACE).allowed).toBe(true);
  });

  it('PM-02 Bash(npm test:*) as the only Bash allow permits npm test and refuses the rest', () => {
    const policy = createPermissionPolicy({ allow: ['Bash(npm test:*)'] });
    expect(policy.check('Bash', { command: 'npm test -- x' }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('Bash', { command: 'npm test' }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('Bash', { command: 'npm testing' }, WORKSPACE).allowed).toBe(false);
    const refused = policy.check('Bash', { command: 'rm -rf x' }, WORKSPACE);
    expect(refused.allowed).toBe(false);
    expect(refused.reason).toContain('Bash(npm test:*)');
    // Chaining cannot smuggle a second command past a prefix rule.
    expect(policy.check('Bash', { command: 'npm test && rm -rf x' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Bash', { command: 'npm test $(rm -rf x)' }, WORKSPACE).allowed).toBe(false);
    // Other tools are not restricted by a Bash rule.
    expect(policy.check('Write', { file_path: 'a.txt' }, WORKSPACE).allowed).toBe(true);
  });

  it('PM-03 deny wins over allow, also inside a chain', () => {
    const policy = createPermissionPolicy({
      allow: ['Bash', 'Bash(git push:*)'],
      deny: ['Bash(git push:*)'],
    });
    expect(policy.check('Bash', { command: 'git push origin main' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Bash', { command: 'git status; git push' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Bash', { command: 'git status' }, WORKSPACE).allowed).toBe(true);
    const bare = createPermissionPolicy({ allow: ['WebFetch'], deny: ['WebFetch'] });
    expect(bare.check('WebFetch', {}, WORKSPACE).allowed).toBe(false);
  });

  it('PM-04 exact Bash rules match the whole command only', () => {
    const policy = createPermissionPolicy({ allow: ['Bash(git status)'] });
    expect(policy.check('Bash', { command: 'git  status' }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('Bash', { command: 'git status --short' }, WORKSPACE).allowed).toBe(false);
  });

  it('PM-05 Edit(src/**) restricts Edit and Write to src, on workspace-relative paths', () => {
    const policy = createPermissionPolicy({ allow: ['Edit(src/**)'] });
    expect(policy.check('Edit', { file_path: 'src/deep/a.ts' }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('Write', { file_path: `${WORKSPACE}/src/b.ts` }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('Write', { file_path: 'package.json' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Edit', { file_path: 'test/a.ts' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Read', { file_path: 'package.json' }, WORKSPACE).allowed).toBe(true);
  });

  it('PM-06 Read deny rules cover Read and searches rooted in the denied directory', () => {
    const policy = createPermissionPolicy({ deny: ['Read(secrets/**)', 'Read(.env)', 'Write(dist/**)'] });
    expect(policy.check('Read', { file_path: 'secrets/key.pem' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Read', { file_path: 'config/.env' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Grep', { pattern: 'x', path: 'secrets' }, WORKSPACE).allowed).toBe(false);
    expect(policy.check('Grep', { pattern: 'x' }, WORKSPACE).allowed).toBe(true);
    expect(policy.check('Edit', { file_path: 'dist/out.js' }, WORKSPACE).allowed).toBe(false);
  });

  it('PM-07 checkExecPermission applies the Bash rules to exec()', () => {
    const policy = createPermissionPolicy({
      allow: ['Bash(npm run build:*)', 'Bash(npm test:*)'],
      deny: ['Bash(npm test -- --update:*)'],
    });
    expect(checkExecPermission(policy, 'npm run build').allowed).toBe(true);
    expect(checkExecPermission(policy, 'npm test -- --update').allowed).toBe(false);
    expect(policy.checkExecPermission('curl example.com').allowed).toBe(false);
  });

  it('PM-08 a malformed rule is CONFIG_INVALID', () => {
    expect(() => createPermissionPolicy({ allow: ['Bash(npm test'] })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
