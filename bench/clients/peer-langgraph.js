/**
 * The peer: the fan-out in LangGraph JS (langgraph-fanout.js) whose worker node makes the same
 * SDK call as the floor. Prints the number of answered tasks.
 *
 *   ANTHROPIC_API_KEY=x ANTHROPIC_BASE_URL=http://127.0.0.1:PORT \
 *     node bench/clients/peer-langgraph.js --args '{"n":1000}' --concurrency 16
 */
import { readOptions } from './options.js';
import { runLangGraphFanOut } from './langgraph-fanout.js';
import { createClient, runTask } from './sdk-call.js';

const options = readOptions();
const client = await createClient(options);
await runLangGraphFanOut(options, (index, latency) => runTask(client, index, latency));
