/**
 * Paths inside the workspace that Write and Edit refuse, as Claude Code guards them: files that
 * something other than the agent later reads *and acts on*.
 *
 * - `.git` (a directory, or in a worktree a file naming the git directory): hooks, `core.fsmonitor`
 *   or a redirected `gitdir:` run commands the next time the runtime (or the user) runs git, with
 *   the runtime's environment and its credentials.
 * - `.claude`, `.dynaflow`, `.mcp.json`: settings (permission rules, MCP servers that the runtime
 *   starts as processes), agent types, saved workflows and the run journal. An agent changing them
 *   would grant itself, or the next run, what the rules refuse.
 *
 * Names are compared as a case-insensitive file system (macOS) and HFS+ would see them: `.GIT`,
 * `.git.` and `.g\u200cit` name the same directory there.
 */
import path from 'node:path';

const PROTECTED_NAMES = new Set(['.git', '.claude', '.dynaflow', '.mcp.json']);

/** Code points HFS+ ignores in names, and trailing dots/spaces that Windows drops. */
const IGNORED_CODE_POINTS = /[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;

function canonicalName(name: string): string {
  return name
    .normalize('NFC')
    .replace(IGNORED_CODE_POINTS, '')
    .replace(/[. ]+$/, '')
    .toLowerCase();
}

/**
 * The protected name that `relative` (a path relative to the workspace root) goes through or
 * names, or undefined when it may be written.
 *
 * @example
 * protectedComponent('.git/hooks/pre-commit'); // → '.git'
 * protectedComponent('src/git.ts');             // → undefined
 */
export function protectedComponent(relative: string): string | undefined {
  for (const name of relative.split(/[\\/]/)) {
    const canonical = canonicalName(name);
    if (PROTECTED_NAMES.has(canonical)) return canonical;
  }
  return undefined;
}

/** Both spellings of one location are checked: the one the model typed and the real one. */
export function protectedComponentOf(
  roots: { readonly lexical: string; readonly real: string },
  location: { readonly lexical: string; readonly real: string },
): string | undefined {
  return (
    protectedComponent(path.relative(roots.lexical, location.lexical)) ??
    protectedComponent(path.relative(roots.real, location.real))
  );
}
