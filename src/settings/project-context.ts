/**
 * The project's standing instructions (CLAUDE.md, AGENTS.md) for an agent's system prompt, as
 * Claude Code gives them to its agents. Bounded: a huge file must not eat the context window.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ProjectContext {
  /** Ready to append to a system prompt; empty when the project has no such file. */
  readonly text: string;
  /** The files that were included. */
  readonly files: readonly string[];
  readonly truncated: boolean;
}

const CONTEXT_FILES = ['CLAUDE.md', path.join('.claude', 'CLAUDE.md'), 'AGENTS.md', 'CLAUDE.local.md'];

/** Per-file and total caps, in characters. */
export const PROJECT_CONTEXT_FILE_LIMIT = 40_000;
export const PROJECT_CONTEXT_TOTAL_LIMIT = 80_000;

/**
 * @example
 * const context = await loadProjectContext(projectRoot);
 * const system = [basePrompt, context.text].filter(Boolean).join('\n\n');
 */
export async function loadProjectContext(projectRoot: string): Promise<ProjectContext> {
  const sections: string[] = [];
  const files: string[] = [];
  let truncated = false;
  let remaining = PROJECT_CONTEXT_TOTAL_LIMIT;
  for (const name of CONTEXT_FILES) {
    if (remaining <= 0) break;
    const file = path.join(projectRoot, name);
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const limit = Math.min(PROJECT_CONTEXT_FILE_LIMIT, remaining);
    if (content.length > limit) {
      content = `${content.slice(0, limit)}\n[... ${content.length - limit} chars truncated ...]`;
      truncated = true;
    }
    remaining -= content.length;
    files.push(file);
    sections.push(`Contents of ${name} (project instructions):\n\n${content.trim()}`);
  }
  return { text: sections.join('\n\n'), files, truncated };
}
