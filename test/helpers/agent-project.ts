/**
 * Agents that do real work, for end-to-end tests: a throwaway git project, the simulator over
 * HTTP, and the runtime with the real tooling (settings, permissions, agent types, MCP) and a
 * state directory for transcripts. No personal settings leak in: the home directory is empty.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAgentTooling, type RunDependencies } from '../../src/runtime/index.js';
import { trustProject } from '../../src/settings/index.js';
import type { BehaviourRequest, SimBehaviour, SimulatorOptions } from '../../src/sim/index.js';
import { createHarness, type Harness } from './harness.js';

export interface Project {
  readonly root: string;
  readonly stateDir: string;
  readonly home: string;
  git(...args: string[]): string;
  write(file: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
  LC_ALL: 'C',
};

/** A project directory with `files`; a git repository with one commit unless `git: false`. */
export async function createProject(
  files: Record<string, string>,
  options: { git?: boolean } = {},
): Promise<Project> {
  const base = await mkdtemp(path.join(tmpdir(), 'dynaflow-agents-'));
  const root = path.join(base, 'project');
  const home = path.join(base, 'home');
  await mkdir(root, { recursive: true });
  await mkdir(home, { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, ...GIT_ENV },
    }).trim();
  const write = async (file: string, content: string): Promise<void> => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  };
  for (const [file, content] of Object.entries(files)) await write(file, content);
  if (options.git !== false) {
    git('init', '--quiet', '--initial-branch=main');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'initial');
  }
  return {
    root,
    stateDir: path.join(root, '.dynaflow'),
    home,
    git,
    write,
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

/**
 * The harness with real agents working in `project`. The project's configuration is trusted as
 * it is now (these tests are about what it does; the trust tests are in src/settings and test/
 * workspace-trust-cli.test.ts) unless `trusted: false`.
 */
export function agentHarness(
  project: Project,
  options: SimulatorOptions & { deps?: Partial<RunDependencies>; trusted?: boolean } = {},
): Promise<Harness> {
  const { deps, trusted = true, ...simulator } = options;
  if (trusted) trustProject(project.root, project.home);
  return createHarness({
    ...simulator,
    projectRoot: project.root,
    deps: {
      tooling: createAgentTooling({ homeDir: project.home }),
      stateDir: project.stateDir,
      ...deps,
    },
  });
}

export const META = `export const meta = { name: 't', description: 'test' }\n`;

/** A simulator behaviour that keeps every request whose first user text contains `match`. */
export function recorder(match: string): SimBehaviour & { requests: BehaviourRequest[] } {
  const requests: BehaviourRequest[] = [];
  return {
    requests,
    respond(request) {
      if (request.sim.firstUserText.includes(match)) requests.push(request);
      return undefined;
    },
  };
}
