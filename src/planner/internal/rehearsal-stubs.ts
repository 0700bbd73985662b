/**
 * What a rehearsal swaps in so that running the script changes nothing: tools that keep their
 * definitions (their size counts in the prompt) but never run, `exec()` that records the command
 * and answers success, and a clock that does not wait (retry backoff passes at once).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentTool } from '../../agent/index.js';
import { LimitError } from '../../errors/index.js';
import type { AgentToolingFactory, CommandRunner } from '../../runtime/index.js';
import type { Clock } from '../../scheduler/index.js';

export interface RecordedCommand {
  readonly command: string;
  /** Relative to the project root (`.` for the root itself). */
  readonly cwd: string;
}

/** Same definitions, no effect: the model sees the tools, nothing is read, written or run. */
export function stubTool(tool: AgentTool): AgentTool {
  return {
    definition: tool.definition,
    readOnly: tool.readOnly,
    run: () =>
      Promise.resolve({
        content: `(rehearsal: ${tool.definition.name} was not run; nothing was read or changed)`,
      }),
  };
}

/**
 * The real run's tooling (settings, agent types, project context) with every tool stubbed. It is
 * built for the real project root, so the prompts are those of the real run.
 */
export function stubTooling(real: AgentToolingFactory, projectRoot: string): AgentToolingFactory {
  return (run) => {
    const tooling = real({ ...run, projectRoot });
    return {
      agentTypeModel: (agentType) => tooling.agentTypeModel(agentType),
      equip: async (request) => {
        const equipment = await tooling.equip(request);
        return { ...equipment, tools: equipment.tools.map(stubTool) };
      },
      checkCommand: (command) => tooling.checkCommand(command),
      close: () => tooling.close(),
    };
  };
}

/** `exec()` in a rehearsal: the command is recorded and "succeeds" with no output. */
export function recordingCommandRunner(sandboxRoot: string, into: RecordedCommand[]): CommandRunner {
  return (request) => {
    into.push({ command: request.command, cwd: path.relative(sandboxRoot, request.cwd) || '.' });
    return Promise.resolve({ code: 0, stdout: '', stderr: '' });
  };
}

/** Waits take no time: a rehearsal must not sit through retry backoff. */
export const instantClock: Clock = {
  now: () => Date.now(),
  sleep: (_ms, signal) =>
    signal?.aborted
      ? Promise.reject(new LimitError('RUN_CANCELLED', 'the rehearsal was stopped'))
      : Promise.resolve(),
};

/**
 * A throwaway git repository standing in for the project: worktree agents of the rehearsal
 * create their worktrees here, never in the user's repository.
 */
export function createScratchProject(withGit: boolean): { root: string; remove(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-rehearsal-'));
  if (withGit) initialiseRepository(root);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function initialiseRepository(root: string): void {
  try {
    const git = (...args: string[]): void => {
      execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    };
    git('init', '-q');
    git(
      '-c',
      'user.name=dynaflow',
      '-c',
      'user.email=rehearsal@dynaflow.invalid',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'rehearsal',
    );
  } catch {
    // Without git the scratch folder still works for everything but worktree agents.
  }
}
