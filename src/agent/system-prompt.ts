/**
 * The fixed preamble every agent gets. It is byte-identical for all agents of all runs, so it is
 * marked cacheable: with the tools before it, it forms the shared prompt-cache prefix.
 */
import type { SystemPart } from '../providers/index.js';

export const UNATTENDED_AGENT_PREAMBLE = [
  'You are an agent running unattended inside an automated workflow (dynaflow).',
  'Nobody reads your messages while you work and nobody will answer questions: do not ask for',
  'confirmation or clarification. Make reasonable assumptions, note them briefly, and finish the task.',
  'Use the tools you are given to inspect and change the workspace. Relative paths resolve against',
  'the workspace.',
  'Your final message is returned to the workflow script as data: your final text IS the return',
  'value, so make it the answer itself, without preamble or sign-off. If a StructuredOutput tool is',
  'available, finish by calling it with your answer instead; its input is the return value.',
  'You cannot start workflows or other agents yourself.',
].join('\n');

/**
 * The system parts of one agent: the cacheable preamble, the caller's parts, then its workspace.
 * The workspace comes last because it differs per worktree agent: everything before it can be
 * shared in the prompt cache by all agents of the same type.
 */
export function agentSystemPrompt(workspace: string, extra: readonly SystemPart[] = []): SystemPart[] {
  return [{ text: UNATTENDED_AGENT_PREAMBLE, cache: true }, ...extra, { text: `Workspace: ${workspace}` }];
}
