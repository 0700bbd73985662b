/**
 * Usage accounting: tokens ≈ ceil(characters / 4) of the request's text, in the API's cache order
 * (tools → system → messages), and prompt caching like the real API — the prefix up to a block
 * marked `cache_control` is written the first time it is seen and read afterwards; `input_tokens`
 * is only what follows the last breakpoint.
 */
import { createHash, type Hash } from 'node:crypto';
import type { SimContentBlock, SimMessagesRequest } from '../types.js';

/** One cacheable unit of the prompt, in order. */
interface Segment {
  readonly text: string;
  /** A `cache_control` breakpoint ends after this segment. */
  readonly breakpoint: boolean;
}

export interface PromptUsage {
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: number;
}

/**
 * `marked`: breakpoints where the request puts `cache_control` (Anthropic).
 * `automatic`: a breakpoint after every message (OpenAI-style automatic prefix caching).
 */
export type CacheMode = 'marked' | 'automatic';

/** Bounds memory on long benchmark runs; a full clear is as good as eviction for a simulator. */
const MAX_REMEMBERED_PREFIXES = 500_000;

export function tokensFor(chars: number): number {
  return Math.ceil(chars / 4);
}

export class PromptCache {
  readonly #seen = new Set<string>();

  clear(): void {
    this.#seen.clear();
  }

  /** Counts the prompt and records its breakpoints as cached. */
  account(request: SimMessagesRequest, mode: CacheMode): PromptUsage {
    return this.commit(this.lookup(request, mode));
  }

  /**
   * Counts the prompt against what is cached now, without recording anything: a request that is
   * still waiting for its first byte has not written its prefix yet, so requests arriving
   * meanwhile miss the cache and write it too — as on the real API.
   */
  lookup(request: SimMessagesRequest, mode: CacheMode): PendingPromptUsage {
    const segments = promptSegments(request, mode);
    let totalChars = 0;
    let lastBreakpoint = -1;
    for (let index = 0; index < segments.length; index++) {
      totalChars += segments[index]!.text.length;
      if (segments[index]!.breakpoint) lastBreakpoint = index;
    }
    const totalTokens = tokensFor(totalChars);
    if (lastBreakpoint === -1)
      return {
        usage: { inputTokens: totalTokens, cacheReadTokens: 0, cacheCreationTokens: 0 },
        prefixes: [],
      };
    const hash: Hash = createHash('sha1').update(request.model);
    const prefixes: string[] = [];
    let chars = 0;
    let readChars = 0;
    let breakpointChars = 0;
    for (let index = 0; index <= lastBreakpoint; index++) {
      const segment = segments[index]!;
      // Length-prefixed so that segment boundaries are part of the identity of a prefix.
      hash.update(`${segment.text.length}:`).update(segment.text);
      chars += segment.text.length;
      if (!segment.breakpoint) continue;
      const digest = hash.copy().digest('base64');
      prefixes.push(digest);
      if (this.#seen.has(digest)) readChars = chars;
      breakpointChars = chars;
    }
    const cacheReadTokens = tokensFor(readChars);
    const cachedTokens = tokensFor(breakpointChars);
    return {
      usage: {
        inputTokens: totalTokens - cachedTokens,
        cacheReadTokens,
        cacheCreationTokens: cachedTokens - cacheReadTokens,
      },
      prefixes,
    };
  }

  /** Makes a looked-up prompt's prefixes readable (its response has begun) and returns its usage. */
  commit(pending: PendingPromptUsage): PromptUsage {
    if (this.#seen.size + pending.prefixes.length > MAX_REMEMBERED_PREFIXES) this.#seen.clear();
    for (const digest of pending.prefixes) this.#seen.add(digest);
    return pending.usage;
  }
}

export interface PendingPromptUsage {
  readonly usage: PromptUsage;
  /** Digests of the breakpoint prefixes this prompt writes when committed. */
  readonly prefixes: readonly string[];
}

/** Total prompt tokens, no cache (count_tokens). */
export function countPromptTokens(request: SimMessagesRequest): number {
  let chars = 0;
  for (const segment of promptSegments(request, 'marked')) chars += segment.text.length;
  return tokensFor(chars);
}

function promptSegments(request: SimMessagesRequest, mode: CacheMode): Segment[] {
  const automatic = mode === 'automatic';
  const segments: Segment[] = [];
  const tools = request.tools ?? [];
  tools.forEach((tool, index) => {
    const text = `${tool.name}${tool.description ?? ''}${JSON.stringify(tool.input_schema ?? {})}`;
    segments.push({
      text,
      breakpoint: isMarked(tool.cache_control) || (automatic && index === tools.length - 1),
    });
  });
  if (typeof request.system === 'string') {
    segments.push({ text: request.system, breakpoint: automatic });
  } else if (Array.isArray(request.system)) {
    const system = request.system as readonly SimContentBlock[];
    system.forEach((block, index) => {
      segments.push({
        text: blockText(block),
        breakpoint: isMarked(block.cache_control) || (automatic && index === system.length - 1),
      });
    });
  }
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      segments.push({ text: message.content, breakpoint: automatic });
      continue;
    }
    message.content.forEach((block, index) => {
      segments.push({
        text: blockText(block),
        breakpoint: isMarked(block.cache_control) || (automatic && index === message.content.length - 1),
      });
    });
  }
  // Top-level `cache_control` = automatic caching: the breakpoint moves to the last block.
  const last = segments.at(-1);
  if (last !== undefined && isMarked(request.cache_control))
    segments[segments.length - 1] = { ...last, breakpoint: true };
  return segments;
}

function isMarked(cacheControl: unknown): boolean {
  return typeof cacheControl === 'object' && cacheControl !== null;
}

/** The text a block contributes to the prompt. */
export function blockText(block: SimContentBlock): string {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : '';
    case 'tool_use':
      return `${block.name ?? ''}${JSON.stringify(block.input ?? {})}`;
    case 'tool_result':
      if (typeof block.content === 'string') return block.content;
      return Array.isArray(block.content) ? block.content.map(blockText).join('') : '';
    case 'image':
    case 'document':
      // Media are not text; a flat ~1,600-token charge like a mid-sized image.
      return ' '.repeat(6400);
    default:
      return JSON.stringify(block);
  }
}
