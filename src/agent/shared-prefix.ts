/**
 * Finds the part of an agent's prompt that other prompts of the run repeat. Scripts cannot set a
 * system prompt, so a fan-out that shares a guide writes `agent(GUIDE + '\n\nReview ' + file)`:
 * the guide is the same in every prompt, and sending it as its own cacheable block lets the whole
 * fan-out pay for it once (a cache write) and read it everywhere else.
 *
 * Bounded and cheap for 10,000 agents: prompts shorter than the minimum are ignored at once; a
 * prompt is compared first with the few prefixes already found (`startsWith`), and only otherwise
 * with a small ring of recent prompts (stopping at the first differing character).
 */

/** Shorter shared prefixes are not worth a breakpoint (≈ 1,024 tokens, the API's usual minimum). */
export const MIN_SHARED_PREFIX_CHARS = 4_096;
/** Recent long prompts kept for comparison. */
export const RECENT_PROMPTS = 32;
/** Shared prefixes found so far, most recently used first. */
export const KNOWN_PREFIXES = 16;

export interface SharedPrefixIndexOptions {
  readonly minChars?: number;
  readonly recentPrompts?: number;
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index += 1;
  return index;
}

/**
 * @example
 * const index = new SharedPrefixIndex();
 * for (const file of files) index.remember(GUIDE + '\n\nReview ' + file);
 * index.sharedPrefixLength(GUIDE + '\n\nReview a.ts') // GUIDE.length + 2 (up to the blank line)
 */
export class SharedPrefixIndex {
  readonly #minChars: number;
  readonly #recent: string[] = [];
  readonly #capacity: number;
  #next = 0;
  readonly #known: string[] = [];

  constructor(options: SharedPrefixIndexOptions = {}) {
    this.#minChars = options.minChars ?? MIN_SHARED_PREFIX_CHARS;
    this.#capacity = options.recentPrompts ?? RECENT_PROMPTS;
  }

  /** Records a prompt of the run: call it when the agent is called, before it waits for a slot. */
  remember(prompt: string): void {
    if (prompt.length <= this.#minChars) return;
    if (this.#recent.length < this.#capacity) this.#recent.push(prompt);
    else this.#recent[this.#next] = prompt;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /**
   * How many leading characters of `prompt` other prompts of the run repeat, ending at a line
   * break and leaving a non-empty rest; 0 when that is shorter than the minimum. A prompt passed to
   * {@link remember} is not compared with itself (only with other occurrences of the same text).
   */
  sharedPrefixLength(prompt: string): number {
    if (prompt.length <= this.#minChars) return 0;
    let best = -1;
    for (let index = 0; index < this.#known.length; index++) {
      const known = this.#known[index]!;
      if (known.length < prompt.length && (best === -1 || known.length > this.#known[best]!.length)) {
        if (prompt.startsWith(known)) best = index;
      }
    }
    if (best !== -1) {
      const [found] = this.#known.splice(best, 1);
      this.#known.unshift(found!);
      return found!.length;
    }
    let longest = 0;
    let skippedSelf = false;
    for (const other of this.#recent) {
      if (!skippedSelf && other === prompt) {
        skippedSelf = true;
        continue;
      }
      longest = Math.max(longest, commonPrefixLength(prompt, other));
    }
    const length = this.#snap(prompt, longest);
    if (length === 0) return 0;
    this.#known.unshift(prompt.slice(0, length));
    if (this.#known.length > KNOWN_PREFIXES) this.#known.pop();
    return length;
  }

  /** The longest prefix within `common` characters that ends with a newline and leaves a rest. */
  #snap(prompt: string, common: number): number {
    const limit = Math.min(common, prompt.length - 1);
    if (limit < this.#minChars) return 0;
    const length = prompt.lastIndexOf('\n', limit - 1) + 1;
    return length >= this.#minChars ? length : 0;
  }
}
