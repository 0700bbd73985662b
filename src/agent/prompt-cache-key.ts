/**
 * Facts about a model request that the runtime's scheduling needs: which cacheable prefix it
 * starts with (for cache warming) and roughly how many prompt tokens it carries (for
 * tokens-per-minute limits). Computed from the provider-neutral request, so they hold for every
 * adapter.
 */
import { createHash } from 'node:crypto';

import type { ChatMessage, ModelRequest, ToolDefinition } from '../providers/index.js';

/** Below ≈ 1,024 tokens a prefix is not cached by the API, so there is nothing to warm. */
export const MIN_WARM_PREFIX_CHARS = 4_096;

export interface CacheablePrefix {
  /** A hash of everything the cached prefix consists of: model, tools, system, shared prompt part. */
  readonly key: string;
  /** Its length in characters. */
  readonly chars: number;
}

/**
 * JSON of each tool definition, kept per definition object: the runtime shares one set of tool
 * objects among all agents of a fan-out, and every request measured them again otherwise.
 */
const definitionJson = new WeakMap<ToolDefinition, string>();

function jsonOf(tool: ToolDefinition): string {
  let json = definitionJson.get(tool);
  if (json === undefined) {
    json = JSON.stringify(tool);
    definitionJson.set(tool, json);
  }
  return json;
}

/** Same text as `JSON.stringify(tools)`. */
function toolsJson(tools: readonly ToolDefinition[]): string {
  return `[${tools.map(jsonOf).join(',')}]`;
}

/** Characters of a tool's name, description and input schema (as JSON), per definition object. */
const definitionChars = new WeakMap<ToolDefinition, number>();

function charsOf(tool: ToolDefinition): number {
  let chars = definitionChars.get(tool);
  if (chars === undefined) {
    chars = tool.name.length + tool.description.length + JSON.stringify(tool.inputSchema).length;
    definitionChars.set(tool, chars);
  }
  return chars;
}

function markedPromptPrefix(message: ChatMessage | undefined): string | undefined {
  if (message?.role !== 'user' || typeof message.content === 'string') return undefined;
  let prefix: string | undefined;
  let text = '';
  for (const block of message.content) {
    if (block.type !== 'text') break;
    text += block.text;
    if (block.cache === true) prefix = text;
  }
  return prefix;
}

/**
 * The prefix of `request` that the API caches and that other agents can share, in the API's
 * order (tools → system → the first message's marked prompt prefix), or undefined when it is
 * shorter than `minChars` (not worth holding other requests for).
 *
 * @example
 * const prefix = cacheablePrefix(request);
 * if (prefix) await warmer.enter(prefix.key, signal);
 */
export function cacheablePrefix(
  request: ModelRequest,
  minChars: number = MIN_WARM_PREFIX_CHARS,
): CacheablePrefix | undefined {
  const promptPrefix = markedPromptPrefix(request.messages[0]);
  let lastSystem = -1;
  request.system.forEach((part, index) => {
    if (part.cache === true) lastSystem = index;
  });
  // A marked prompt prefix comes after the whole system prompt; otherwise the system prompt is
  // cached up to its last marked part, and the tools only when they are marked themselves.
  const systemParts = promptPrefix !== undefined ? request.system : request.system.slice(0, lastSystem + 1);
  const includeTools = request.cacheTools === true || systemParts.length > 0 || promptPrefix !== undefined;
  const base = basePrefix(request.model, includeTools ? request.tools : NO_TOOLS, systemParts);
  const chars = base.chars + (promptPrefix?.length ?? 0);
  if (chars < minChars) return undefined;
  if (promptPrefix === undefined) return { key: base.key, chars };
  const key = createHash('sha256').update(base.key).update('\0').update(promptPrefix).digest('base64url');
  return { key, chars };
}

const NO_TOOLS: readonly ToolDefinition[] = [];

/** One step of the memo below: the prefix so far, and the longer prefixes that extend it. */
interface PrefixStep {
  base?: CacheablePrefix;
  readonly byTool: WeakMap<ToolDefinition, PrefixStep>;
  readonly byText: Map<string, PrefixStep>;
}

const newStep = (): PrefixStep => ({ byTool: new WeakMap(), byText: new Map() });

/** Distinct texts remembered after one step (worktree agents each have their own system prompt). */
const MAX_TEXTS_PER_STEP = 64;

/**
 * Hash and length of model + tools + system parts, memoised: every agent of a fan-out sends the
 * same tool objects and system text, and hashing their ~6 KB again was ~25 µs per request.
 * The memo is a trie walked by tool object, then model and each system text; the key itself is
 * computed from content, so equal prefixes built from different objects still share a key.
 */
const prefixRoot = newStep();

function textStep(step: PrefixStep, text: string): PrefixStep {
  let next = step.byText.get(text);
  if (next === undefined) {
    if (step.byText.size >= MAX_TEXTS_PER_STEP) step.byText.clear();
    step.byText.set(text, (next = newStep()));
  }
  return next;
}

function basePrefix(
  model: string,
  tools: readonly ToolDefinition[],
  systemParts: readonly { readonly text: string }[],
): CacheablePrefix {
  let step = prefixRoot;
  for (const tool of tools) {
    let next = step.byTool.get(tool);
    if (next === undefined) step.byTool.set(tool, (next = newStep()));
    step = next;
  }
  step = textStep(step, model);
  for (const part of systemParts) step = textStep(step, part.text);
  if (step.base === undefined) {
    const toolsText = tools.length > 0 ? toolsJson(tools) : '';
    const hash = createHash('sha256').update(model).update('\0').update(toolsText);
    let chars = toolsText.length;
    for (const part of systemParts) {
      hash.update('\0').update(part.text);
      chars += part.text.length;
    }
    step.base = { key: hash.digest('base64url'), chars };
  }
  return step.base;
}

/** Prompt tokens ≈ characters / 4 of tools, system and messages (what a provider meters before caching). */
export function estimatePromptTokens(request: ModelRequest): number {
  let chars = 0;
  for (const tool of request.tools) chars += charsOf(tool);
  for (const part of request.system) chars += part.text.length;
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      chars += message.content.length;
      continue;
    }
    for (const block of message.content) {
      if (block.type === 'text') chars += block.text.length;
      else if (block.type === 'tool_result') chars += block.content.length;
      else chars += block.name.length + JSON.stringify(block.input ?? {}).length;
    }
  }
  return Math.ceil(chars / 4);
}
