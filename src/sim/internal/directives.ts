/**
 * `@sim …` directives: one per line of the agent's prompt (the conversation's first user message).
 * A malformed directive is reported (the caller answers 400) rather than ignored, so a typo in a
 * test scenario fails loudly instead of silently running the default model.
 */
import type { SimDirectives, SimFailure } from '../types.js';

export const NO_DIRECTIVES: SimDirectives = Object.freeze({ failures: [], tools: [] });

export type DirectiveParse =
  | { readonly ok: true; readonly directives: SimDirectives }
  | { readonly ok: false; readonly message: string };

const VERBS = 'reply, json, latency, tokens, fail, tool';

interface Draft {
  reply?: string;
  json?: { readonly value: unknown };
  latencyMs?: number;
  tokens?: { readonly input: number; readonly output: number };
  failures: SimFailure[];
  tools: { readonly name: string; readonly input?: unknown }[];
}

export function parseDirectives(prompt: string): DirectiveParse {
  if (!prompt.includes('@sim')) return { ok: true, directives: NO_DIRECTIVES };
  const draft: Draft = { failures: [], tools: [] };
  for (const rawLine of prompt.split('\n')) {
    const line = rawLine.trim();
    if (line !== '@sim' && !line.startsWith('@sim ')) continue;
    const body = line.slice(4).trim();
    const space = body.indexOf(' ');
    const verb = space === -1 ? body : body.slice(0, space);
    const rest = space === -1 ? '' : body.slice(space + 1).trim();
    const problem = applyDirective(draft, verb, rest);
    if (problem !== undefined) return { ok: false, message: `invalid directive "${line}": ${problem}` };
  }
  return { ok: true, directives: draft };
}

/** Returns a problem description, or undefined when the directive was applied. */
function applyDirective(draft: Draft, verb: string, rest: string): string | undefined {
  switch (verb) {
    case 'reply':
      draft.reply = draft.reply === undefined ? rest : `${draft.reply}\n${rest}`;
      return undefined;
    case 'json': {
      const parsed = parseJson(rest);
      if (!parsed.ok) return `not valid JSON (${parsed.message})`;
      draft.json = { value: parsed.value };
      return undefined;
    }
    case 'latency': {
      const ms = parseCount(rest);
      if (ms === undefined) return 'expected "@sim latency MS" with MS a whole number';
      draft.latencyMs = ms;
      return undefined;
    }
    case 'tokens': {
      const [input, output, extra] = rest.split(/\s+/);
      const inputCount = parseCount(input);
      const outputCount = parseCount(output);
      if (inputCount === undefined || outputCount === undefined || extra !== undefined) {
        return 'expected "@sim tokens IN OUT" with whole numbers';
      }
      draft.tokens = { input: inputCount, output: outputCount };
      return undefined;
    }
    case 'fail':
      return applyFail(draft, rest);
    case 'tool':
      return applyTool(draft, rest);
    default:
      return `unknown verb "${verb}" (known: ${VERBS})`;
  }
}

/** `STATUS [times N] [retry-after SECONDS]`, STATUS = 400..599 | reset | truncate. */
function applyFail(draft: Draft, rest: string): string | undefined {
  const words = rest.split(/\s+/).filter((word) => word !== '');
  const status = words.shift();
  let times = 1;
  let retryAfterSeconds = 0;
  while (words.length > 0) {
    const key = words.shift();
    const value = words.shift();
    if (key === 'times') {
      const count = parseCount(value);
      if (count === undefined || count < 1) return '"times" needs a whole number ≥ 1';
      times = count;
    } else if (key === 'retry-after') {
      const seconds = value === undefined ? Number.NaN : Number(value);
      if (!Number.isFinite(seconds) || seconds < 0) return '"retry-after" needs a number of seconds ≥ 0';
      retryAfterSeconds = seconds;
    } else {
      return `unexpected "${key}" (expected "times N" or "retry-after SECONDS")`;
    }
  }
  let failure: SimFailure;
  if (status === 'reset' || status === 'truncate') {
    failure = { kind: status };
  } else {
    const code = parseCount(status);
    if (code === undefined || code < 400 || code > 599) {
      return 'STATUS must be an HTTP error status (429, 500, 529, …), "reset" or "truncate"';
    }
    failure = { kind: 'status', status: code, retryAfterSeconds };
  }
  for (let i = 0; i < times; i++) draft.failures.push(failure);
  return undefined;
}

/** `NAME [JSON]`: without JSON the input is synthesised from the tool's schema. */
function applyTool(draft: Draft, rest: string): string | undefined {
  const space = rest.indexOf(' ');
  const name = space === -1 ? rest : rest.slice(0, space);
  if (name === '') return 'expected "@sim tool NAME JSON"';
  const inputText = space === -1 ? '' : rest.slice(space + 1).trim();
  if (inputText === '') {
    draft.tools.push({ name });
    return undefined;
  }
  const parsed = parseJson(inputText);
  if (!parsed.ok) return `tool input is not valid JSON (${parsed.message})`;
  draft.tools.push({ name, input: parsed.value });
  return undefined;
}

function parseCount(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function parseJson(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
