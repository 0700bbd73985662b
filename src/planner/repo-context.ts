/**
 * A quick look at the project for the planner: a bounded listing of its tree (directories first,
 * dependency and state folders skipped), so the plan can name real paths without a crawl.
 */
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set([
  '.git',
  'node_modules',
  '.dynaflow',
  'dist',
  'build',
  'coverage',
  '.next',
  'target',
  '.venv',
  '__pycache__',
]);

export interface RepoListingOptions {
  /** Most entries listed (default 300). */
  readonly maxEntries?: number;
  /** Deepest directory level (default 4). */
  readonly maxDepth?: number;
}

/**
 * @example
 * repoListing('/repo') // 'src/\n  src/index.ts\n…'
 */
export function repoListing(root: string, options: RepoListingOptions = {}): string {
  const maxEntries = options.maxEntries ?? 300;
  const maxDepth = options.maxDepth ?? 4;
  const lines: string[] = [];
  let omitted = 0;
  const walk = (directory: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) =>
      a.isDirectory() === b.isDirectory() ? a.name.localeCompare(b.name) : a.isDirectory() ? -1 : 1,
    );
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const relative = path.relative(root, path.join(directory, entry.name));
      if (lines.length >= maxEntries) {
        omitted += 1;
        continue;
      }
      lines.push(`${'  '.repeat(depth)}${relative}${entry.isDirectory() ? '/' : ''}`);
      if (entry.isDirectory() && depth + 1 < maxDepth) walk(path.join(directory, entry.name), depth + 1);
    }
  };
  walk(root, 0);
  if (omitted > 0) lines.push(`… ${omitted} more entries not listed`);
  return lines.length > 0 ? lines.join('\n') : '(empty directory)';
}
