/** Prints grep results the way Claude Code's Grep tool shows ripgrep's output. */
import type { GrepFileResult } from './grep-types.js';

export type GrepOutputMode = 'content' | 'files_with_matches' | 'count';

export const GREP_MAX_LINE_LENGTH = 500;

export interface GrepFormatOptions {
  readonly mode: GrepOutputMode;
  readonly lineNumbers: boolean;
  readonly withContext: boolean;
  readonly headLimit: number | undefined;
  /** Modification times, for files_with_matches (newest first). */
  readonly mtimes: ReadonlyMap<string, number>;
}

export function formatGrepResults(results: readonly GrepFileResult[], options: GrepFormatOptions): string {
  if (results.length === 0)
    return options.mode === 'files_with_matches' ? 'No files found' : 'No matches found';
  const limit = options.headLimit;
  const clip = <T>(items: T[]): { items: T[]; dropped: number } =>
    limit !== undefined && items.length > limit
      ? { items: items.slice(0, limit), dropped: items.length - limit }
      : { items, dropped: 0 };
  if (options.mode === 'files_with_matches') {
    const files = results
      .map((result) => result.file)
      .sort((a, b) => (options.mtimes.get(b) ?? 0) - (options.mtimes.get(a) ?? 0) || a.localeCompare(b));
    const { items, dropped } = clip(files);
    const header = `Found ${files.length} file${files.length === 1 ? '' : 's'}`;
    return [header, ...items].join('\n') + truncationNote(dropped, 'files');
  }
  if (options.mode === 'count') {
    const { items, dropped } = clip(results.map((result) => `${result.file}:${result.matchCount}`));
    const total = results.reduce((sum, result) => sum + result.matchCount, 0);
    return (
      items.join('\n') +
      truncationNote(dropped, 'files') +
      `\n\nFound ${total} matching line${total === 1 ? '' : 's'} across ${results.length} file${results.length === 1 ? '' : 's'}.`
    );
  }
  const lines: string[] = [];
  for (const result of results) {
    let previous: number | undefined;
    for (const line of result.lines) {
      // ripgrep separates non-adjacent context groups with `--`.
      if (options.withContext && lines.length > 0 && (previous === undefined || line.number > previous + 1))
        lines.push('--');
      previous = line.number;
      const separator = line.kind === 'match' ? ':' : '-';
      const text =
        line.text.length > GREP_MAX_LINE_LENGTH
          ? `${line.text.slice(0, GREP_MAX_LINE_LENGTH)}… [line truncated]`
          : line.text;
      lines.push(
        options.lineNumbers
          ? `${result.file}${separator}${line.number}${separator}${text}`
          : `${result.file}${separator}${text}`,
      );
    }
  }
  const { items, dropped } = clip(lines);
  return items.join('\n') + truncationNote(dropped, 'lines');
}

function truncationNote(dropped: number, what: string): string {
  return dropped > 0 ? `\n(${dropped} more ${what} not shown; raise head_limit or narrow the search)` : '';
}
