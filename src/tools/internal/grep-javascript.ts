/**
 * The grep engine used when ripgrep is not installed: walks the tree (not following symlinks,
 * skipping .git, node_modules, .dynaflow and binary files) and tests each line with a RegExp.
 */
import { constants } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import picomatch from 'picomatch';

import { BoundedRegex } from './bounded-regex.js';
import { openConfined } from './confined-file.js';
import type { GrepFileResult, GrepLine, GrepQuery } from './grep-types.js';

const IGNORED = new Set(['.git', 'node_modules', '.dynaflow']);
/** Larger files are skipped: they are almost always generated data, not code. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Regex time one search may spend in total, unless the query says otherwise. */
export const GREP_REGEX_TIME_LIMIT_MS = 10_000;

export async function grepWithJavaScript(query: GrepQuery): Promise<GrepFileResult[]> {
  const regex = new BoundedRegex(
    new RegExp(query.pattern, query.ignoreCase ? 'i' : ''),
    query.regexTimeLimitMs ?? GREP_REGEX_TIME_LIMIT_MS,
  );
  const rootStats = await stat(query.root);
  const files = rootStats.isDirectory() ? await walk(query.root, query) : [query.root];
  const results: GrepFileResult[] = [];
  for (const file of files) {
    if (query.signal.aborted) break;
    const result = await searchFile(file, regex, query);
    if (result) results.push(result);
  }
  return results;
}

async function walk(root: string, query: GrepQuery): Promise<string[]> {
  const globMatcher = query.glob
    ? picomatch(query.glob, { dot: true, basename: !query.glob.includes('/') })
    : undefined;
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0 && !query.signal.aborted) {
    const directory = pending.pop() as string;
    const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!IGNORED.has(entry.name)) pending.push(full);
      } else if (entry.isFile()) {
        const relative = path.relative(root, full).split(path.sep).join('/');
        if (!globMatcher || globMatcher(relative)) files.push(full);
      }
    }
  }
  return files.sort();
}

async function searchFile(
  file: string,
  regex: BoundedRegex,
  query: GrepQuery,
): Promise<GrepFileResult | undefined> {
  const text = await readText(file, query.root);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const matched = regex.matchingLines(lines, query.firstMatchOnly);
  if (matched.length === 0) return undefined;
  const kept = new Map<number, GrepLine>();
  for (const index of matched) {
    for (
      let context = Math.max(0, index - query.before);
      context <= Math.min(lines.length - 1, index + query.after);
      context++
    ) {
      if (!kept.has(context))
        kept.set(context, { number: context + 1, text: lines[context] ?? '', kind: 'context' });
    }
    kept.set(index, { number: index + 1, text: lines[index] ?? '', kind: 'match' });
  }
  return {
    file,
    lines: [...kept.values()].sort((a, b) => a.number - b.number),
    matchCount: matched.length,
  };
}

/**
 * The file's text, or undefined when it is empty, too large, binary, not a regular file, or no
 * longer inside the search root (swapped for a symlink since the walk listed it).
 */
async function readText(file: string, root: string): Promise<string | undefined> {
  const opened = await openConfined(
    { absolute: file, display: file, root },
    constants.O_RDONLY | constants.O_NONBLOCK,
  );
  if (!opened.ok) return undefined;
  const { handle } = opened;
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size === 0 || stats.size > MAX_FILE_BYTES) return undefined;
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (buffer.subarray(0, bytesRead).includes(0)) return undefined;
    return await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
