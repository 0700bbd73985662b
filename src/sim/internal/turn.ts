/**
 * One model turn, protocol-neutral: count the attempt, inject a failure if one is due, wait the
 * latency, decide the answer and account its usage. Handlers only parse and encode.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimFailure, SimUsage } from '../types.js';
import { decideAnswer, type Answer } from './answer.js';
import { chooseFailure } from './failures.js';
import { idFrom } from './ids.js';
import type { PreparedRequest } from './prepared-request.js';
import { tokensFor, type CacheMode } from './prompt-cache.js';
import type { SimState } from './state.js';

export type TurnOutcome =
  | { readonly kind: 'failed'; readonly failure: Exclude<SimFailure, { kind: 'truncate' }> }
  | {
      readonly kind: 'answered';
      readonly answer: Answer;
      readonly usage: SimUsage;
      readonly messageId: string;
      /** Send only part of the answer (an injected `truncate`). */
      readonly truncate: boolean;
    };

export async function runTurn(
  state: SimState,
  prepared: PreparedRequest,
  cacheMode: CacheMode,
): Promise<TurnOutcome> {
  const { directives, requestHash } = prepared;
  const attempt = state.attempts.next(requestHash);
  const failure = chooseFailure({
    scripted: directives.failures,
    attempt,
    failRate: state.failRate,
    seed: state.seed,
    requestHash,
  });
  if (failure !== undefined) state.stats.errorsInjected += 1;
  const latencyMs = directives.latencyMs ?? state.latencyMs;
  // The latency is the time to the first byte: the prefix this request writes becomes readable
  // only after it, so simultaneous cold requests all write it (what cache warming avoids).
  const pending = latencyMs > 0 ? state.cache.lookup(prepared.body, cacheMode) : undefined;
  if (latencyMs > 0) await sleep(latencyMs);
  if (failure !== undefined && failure.kind !== 'truncate') return { kind: 'failed', failure };

  const answer = await decideAnswer(prepared, { seed: state.seed, attempt, behaviour: state.behaviour });
  const prompt =
    pending === undefined ? state.cache.account(prepared.body, cacheMode) : state.cache.commit(pending);
  // Automatic prefix caching (OpenAI) bills a cache write as plain input.
  const written = cacheMode === 'automatic' ? 0 : prompt.cacheCreationTokens;
  const usage: { -readonly [K in keyof SimUsage]: number } = {
    input_tokens: directives.tokens?.input ?? prompt.inputTokens + prompt.cacheCreationTokens - written,
    output_tokens: directives.tokens?.output ?? outputTokens(answer),
    cache_creation_input_tokens: written,
    cache_read_input_tokens: prompt.cacheReadTokens,
  };
  if (answer.usage !== undefined) overrideUsage(usage, answer.usage);
  const truncate = failure?.kind === 'truncate';
  if (!truncate) {
    state.stats.addTokens({
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens,
      cacheCreationTokens: usage.cache_creation_input_tokens,
    });
  }
  return {
    kind: 'answered',
    answer,
    usage,
    messageId: idFrom('msg_01', `${requestHash}:${attempt}`),
    truncate,
  };
}

function outputTokens(answer: Answer): number {
  let chars = 0;
  for (const block of answer.blocks) {
    chars +=
      block.type === 'text'
        ? block.text.length
        : block.name.length + JSON.stringify(block.input ?? {}).length;
  }
  return Math.max(1, tokensFor(chars));
}

/** A behaviour's reported usage wins, field by field (only real numbers count). */
function overrideUsage(usage: { -readonly [K in keyof SimUsage]: number }, chosen: Partial<SimUsage>): void {
  for (const key of Object.keys(usage) as (keyof SimUsage)[]) {
    const value = chosen[key];
    if (typeof value === 'number' && Number.isFinite(value)) usage[key] = value;
  }
}
