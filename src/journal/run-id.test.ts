import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRunId, newRunId, resolveStateDir } from './index.js';

describe('newRunId', () => {
  it('has the wf_ shape, is unique, and sorts by creation time', () => {
    const ids = Array.from({ length: 1_000 }, (_, index) => newRunId(1_700_000_000_000 + index * 1_000));
    for (const id of ids) expect(isRunId(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(newRunId(5)).not.toBe(newRunId(5));
  });
});

describe('resolveStateDir', () => {
  it('uses the git root, a .git file (worktree) included, else the working directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'dynaflow-state-'));
    try {
      const project = join(root, 'project');
      mkdirSync(join(project, '.git'), { recursive: true });
      mkdirSync(join(project, 'packages', 'app'), { recursive: true });
      expect(resolveStateDir(join(project, 'packages', 'app'))).toBe(join(project, '.dynaflow'));

      const worktree = join(project, 'packages', 'wt');
      mkdirSync(worktree);
      writeFileSync(join(worktree, '.git'), 'gitdir: elsewhere\n');
      expect(resolveStateDir(worktree)).toBe(join(worktree, '.dynaflow'));

      const plain = join(root, 'plain');
      mkdirSync(plain);
      // Only when no directory above is a git work tree (tmpdir normally is not).
      expect(resolveStateDir(plain)).toBe(join(plain, '.dynaflow'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('lets an override win, resolved against the working directory', () => {
    expect(resolveStateDir('/srv/project', 'state')).toBe('/srv/project/state');
    expect(resolveStateDir('/srv/project', '/var/dynaflow')).toBe('/var/dynaflow');
  });
});
