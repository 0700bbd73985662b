/** Test helper: a throwaway git repository with one commit, under the OS temp directory. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestRepository {
  readonly root: string;
  git(...args: string[]): string;
  remove(): Promise<void>;
}

export async function createTestRepository(
  files: Record<string, string> = { 'README.md': '# test\n' },
): Promise<TestRepository> {
  const root = await mkdtemp(path.join(tmpdir(), 'dynaflow-ws-'));
  const run = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@localhost', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, LC_ALL: 'C' },
    }).trim();
  run('init', '--quiet', '--initial-branch=main');
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(root, name), content);
  run('add', '-A');
  run('commit', '--quiet', '-m', 'initial');
  return { root, git: run, remove: () => rm(root, { recursive: true, force: true }) };
}
