/**
 * One task as dynaflow's anthropic adapter performs it (src/providers/anthropic): a streaming
 * `messages.create` (`stream: true`, raw events), SDK retries off, the text assembled from deltas.
 *
 * With DYNAFLOW_BENCH_REQUEST_TEMPLATE (a request body captured from a dynaflow agent, see
 * internal/capture-request.js) every request is that body with only the prompt replaced: the same
 * system prompt, tools and tool_choice as a dynaflow agent sends. Without it, a bare request.
 */
import Anthropic from '@anthropic-ai/sdk';

import { MAX_TOKENS, MODEL, promptFor } from './options.js';
import { template, userContent } from './request-template.js';

export async function createClient(options) {
  return new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    ...(options.transport === 'undici' ? { fetch: await undiciFetch() } : {}),
  });
}

/**
 * dynaflow's own transport (src/providers/internal/http-transport.ts, built to dist/ like the CLI the
 * bench runs), so this row differs from ours only by the runtime. Imported only for this transport:
 * loading undici takes ~50 ms, which the other clients must not pay.
 */
async function undiciFetch() {
  const { sharedFetch } = await import('../../dist/providers/internal/http-transport.js');
  return sharedFetch();
}

function requestFor(index, latency) {
  const prompt = promptFor(index, latency);
  if (template === undefined) {
    return {
      model: MODEL,
      max_tokens: MAX_TOKENS,
      messages: [{ role: 'user', content: prompt }],
      stream: true,
    };
  }
  return {
    ...template,
    model: MODEL,
    stream: true,
    messages: [{ role: 'user', content: userContent(prompt) }],
  };
}

/** Resolves to the answer's text, or null when the request failed (as agent() does). */
export async function runTask(client, index, latency) {
  try {
    const stream = await client.messages.create(requestFor(index, latency));
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    return text;
  } catch {
    return null;
  }
}
