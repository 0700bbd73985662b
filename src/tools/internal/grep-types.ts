/** What both grep engines (ripgrep and the JavaScript fallback) produce, before formatting. */
export interface GrepLine {
  readonly number: number;
  readonly text: string;
  /** `context` lines come from -A/-B/-C. */
  readonly kind: 'match' | 'context';
}

export interface GrepFileResult {
  /** Absolute path. */
  readonly file: string;
  /** Matching lines and, when asked for, context lines, in line order. */
  readonly lines: readonly GrepLine[];
  /** Number of matching lines. */
  readonly matchCount: number;
}

export interface GrepQuery {
  readonly pattern: string;
  /** A file or directory (absolute, already confined to the workspace). */
  readonly root: string;
  readonly glob?: string | undefined;
  readonly ignoreCase: boolean;
  readonly before: number;
  readonly after: number;
  /** Only whether a file matches is needed (files_with_matches mode): stop at the first match. */
  readonly firstMatchOnly: boolean;
  readonly signal: AbortSignal;
  /** Total time the JavaScript engine may spend matching (ripgrep's engine is linear-time). */
  readonly regexTimeLimitMs?: number | undefined;
}
