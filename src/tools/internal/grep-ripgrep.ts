/**
 * The grep engine used when `rg` is on PATH. It asks ripgrep for `--json` and converts the
 * events into the same structure the JavaScript engine returns, so both print identically.
 * The options mirror the fallback's file selection: hidden files yes, ignore files no,
 * .git / node_modules / .dynaflow never; binary files are skipped by ripgrep itself.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

import type { GrepFileResult, GrepLine, GrepQuery } from './grep-types.js';

/** The `rg` executable on PATH, or undefined. Looked up once per process. */
let cachedRipgrep: string | null | undefined;
export function findRipgrep(): string | undefined {
  if (cachedRipgrep === undefined) {
    cachedRipgrep = null;
    for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
      if (!directory) continue;
      const candidate = path.join(directory, 'rg');
      try {
        accessSync(candidate, constants.X_OK);
        cachedRipgrep = candidate;
        break;
      } catch {
        // not here
      }
    }
  }
  return cachedRipgrep ?? undefined;
}

export function ripgrepArguments(query: GrepQuery): string[] {
  const args = ['--json', '--no-ignore', '--hidden', '--no-follow', '--no-config'];
  for (const name of ['.git', 'node_modules', '.dynaflow']) args.push('--glob', `!${name}`);
  if (query.glob) args.push('--glob', query.glob);
  if (query.ignoreCase) args.push('--ignore-case');
  if (query.before > 0) args.push('--before-context', String(query.before));
  if (query.after > 0) args.push('--after-context', String(query.after));
  if (query.firstMatchOnly) args.push('--max-count', '1');
  args.push('--regexp', query.pattern, '--', query.root);
  return args;
}

export async function grepWithRipgrep(executable: string, query: GrepQuery): Promise<GrepFileResult[]> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(executable, ripgrepArguments(query), {
      signal: query.signal,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let errorText = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (errorText += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // 0 = matches, 1 = none, 2 = an error (possibly with partial results).
      if (code === 2 && chunks.length === 0) reject(new Error(errorText.trim() || 'rg failed'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
  return parseRipgrepJson(output, query.root);
}

interface RipgrepEvent {
  type: string;
  data?: { path?: { text?: string }; lines?: { text?: string }; line_number?: number };
}

export function parseRipgrepJson(output: string, root: string): GrepFileResult[] {
  const byFile = new Map<string, { lines: GrepLine[]; matchCount: number }>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line) as RipgrepEvent;
    if (event.type !== 'match' && event.type !== 'context') continue;
    const file = event.data?.path?.text;
    const text = event.data?.lines?.text;
    const number = event.data?.line_number;
    // Non-UTF-8 paths or lines come as base64 `bytes`: skipped, as the fallback skips them.
    if (file === undefined || text === undefined || number === undefined) continue;
    const absolute = path.resolve(root, file);
    const entry = byFile.get(absolute) ?? { lines: [], matchCount: 0 };
    byFile.set(absolute, entry);
    entry.lines.push({ number, text: text.replace(/\r?\n$/, ''), kind: event.type });
    if (event.type === 'match') entry.matchCount++;
  }
  return [...byFile.entries()]
    .map(([file, entry]) => ({ file, lines: entry.lines, matchCount: entry.matchCount }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
