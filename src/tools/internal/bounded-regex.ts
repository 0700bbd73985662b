/**
 * Runs a model-written regular expression over lines with a time bound. JavaScript's RegExp
 * backtracks: `(a+)+$` against a line of forty `a`s and a `!` would run for hours, and since it
 * runs on the event loop it would freeze every agent of the run. V8 can interrupt a script run
 * through `vm` with a `timeout`, including inside a regex match, so the matching loop runs there.
 * (ripgrep, when installed, uses a linear-time engine and needs none of this.)
 */
import vm from 'node:vm';

export class RegexTimeoutError extends Error {
  constructor(limitMs: number) {
    super(
      `the regular expression ran for more than ${limitMs} ms (catastrophic backtracking?); ` +
        'simplify it, e.g. avoid nested quantifiers like (a+)+',
    );
    this.name = 'RegexTimeoutError';
  }
}

const MATCH_LINES = new vm.Script(`(() => {
  const { regex, lines, firstOnly } = input;
  const matched = [];
  for (let index = 0; index < lines.length; index++) {
    if (regex.test(lines[index])) {
      matched.push(index);
      if (firstOnly) break;
    }
  }
  return matched;
})()`);

/** One search's regex and its remaining time, shared by all the files the search reads. */
export class BoundedRegex {
  private readonly context = vm.createContext({ input: undefined });
  private spentMs = 0;

  constructor(
    private readonly regex: RegExp,
    private readonly limitMs: number,
  ) {}

  /** Indexes of the lines that match; throws RegexTimeoutError once the time is used up. */
  matchingLines(lines: readonly string[], firstOnly: boolean): number[] {
    const remaining = Math.max(1, Math.ceil(this.limitMs - this.spentMs));
    (this.context as { input: unknown }).input = { regex: this.regex, lines, firstOnly };
    const started = performance.now();
    try {
      return [...(MATCH_LINES.runInContext(this.context, { timeout: remaining }) as number[])];
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new RegexTimeoutError(this.limitMs);
      }
      throw error;
    } finally {
      this.spentMs += performance.now() - started;
      (this.context as { input: unknown }).input = undefined;
    }
  }
}
