/**
 * The idiomatic peer: the same LangGraph JS Send-API fan-out as peer-langgraph.js, but the worker
 * node calls the model the way LangGraph users do, through `ChatAnthropic` (@langchain/anthropic)
 * with `streaming: true` (dynaflow streams every request) and retries off. Results are gathered
 * with the `concat` reducer (DYNAFLOW_BENCH_LANGGRAPH_REDUCER=count keeps only a counter). Prints
 * the number of answered tasks.
 *
 * With DYNAFLOW_BENCH_REQUEST_TEMPLATE (a request body captured from a dynaflow agent) each call
 * sends that body in LangChain terms: a SystemMessage with the template's system blocks
 * (cache_control kept), its tools and tool_choice bound with `bindTools`, its max_tokens, and the
 * prompt as a HumanMessage shaped like the template's first user message. Without it, a bare request.
 *
 *   ANTHROPIC_API_KEY=x ANTHROPIC_BASE_URL=http://127.0.0.1:PORT \
 *     node bench/clients/peer-langgraph-chat.js --args '{"n":1000}' --concurrency 16
 */
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';

import { runLangGraphFanOut } from './langgraph-fanout.js';
import { MAX_TOKENS, MODEL, promptFor, readOptions } from './options.js';
import { template, userContent } from './request-template.js';

const options = readOptions();

const chat = new ChatAnthropic({
  model: MODEL,
  // The template's own max_tokens, so the body matches what the floor sends from the same template.
  maxTokens: template?.max_tokens ?? MAX_TOKENS,
  apiKey: options.apiKey,
  anthropicApiUrl: options.baseURL,
  streaming: true,
  maxRetries: 0,
});
const model =
  template?.tools === undefined
    ? chat
    : chat.bindTools(template.tools, template.tool_choice ? { tool_choice: template.tool_choice } : {});
const system = template?.system === undefined ? [] : [new SystemMessage({ content: template.system })];

/** Resolves to the answer's text, or null when the call failed (as agent() does). */
async function runTask(index, latency) {
  try {
    const answer = await model.invoke([
      ...system,
      new HumanMessage({ content: userContent(promptFor(index, latency)) }),
    ]);
    return answer.text;
  } catch {
    return null;
  }
}

await runLangGraphFanOut(options, runTask);
