/**
 * The peer: the fan-out in LangGraph JS. A StateGraph whose entry edge returns one `Send` per task
 * to a `worker` node that makes the same SDK call as the floor; `maxConcurrency` in the invoke
 * config caps the tasks running at once. Results are gathered with the `concat` reducer of
 * LangGraph's own map-reduce guide (dynaflow's `parallel` also returns every result); set
 * DYNAFLOW_BENCH_LANGGRAPH_REDUCER=count to keep only a counter instead. Prints the number of
 * answered tasks.
 *
 *   ANTHROPIC_API_KEY=x ANTHROPIC_BASE_URL=http://127.0.0.1:PORT \
 *     node bench/clients/peer-langgraph.js --args '{"n":1000}' --concurrency 16
 */
import process from 'node:process';
import { Annotation, END, Send, START, StateGraph } from '@langchain/langgraph';

import { readOptions } from './options.js';
import { createClient, runTask } from './sdk-call.js';

const options = readOptions();
const client = createClient(options);

const countOnly = process.env.DYNAFLOW_BENCH_LANGGRAPH_REDUCER === 'count';

const FanOut = Annotation.Root({
  n: Annotation(),
  latency: Annotation(),
  results: Annotation({ reducer: (all, more) => all.concat(more), default: () => [] }),
  answered: Annotation({ reducer: (total, more) => total + more, default: () => 0 }),
});

const graph = new StateGraph(FanOut)
  .addNode('worker', async (task) => {
    const text = await runTask(client, task.index, task.latency);
    return countOnly ? { answered: text === null ? 0 : 1 } : { results: [text] };
  })
  .addConditionalEdges(
    START,
    (state) =>
      Array.from({ length: state.n }, (_, index) => new Send('worker', { index, latency: state.latency })),
    ['worker'],
  )
  .addEdge('worker', END)
  .compile();

const final = await graph.invoke(
  { n: options.n, latency: options.latency },
  { maxConcurrency: options.concurrency, recursionLimit: 100 },
);
const answered = countOnly ? final.answered : final.results.filter((text) => text !== null).length;
process.stdout.write(`${JSON.stringify(answered)}\n`);
