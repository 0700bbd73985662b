/**
 * The LangGraph JS fan-out both LangGraph peers run: a StateGraph whose entry edge returns one
 * `Send` per task to a `worker` node, `maxConcurrency` in the invoke config capping the tasks
 * running at once. Results are gathered with the `concat` reducer of LangGraph's own map-reduce
 * guide (dynaflow's `parallel` also returns every result); DYNAFLOW_BENCH_LANGGRAPH_REDUCER=count
 * keeps only a counter instead. Prints the number of answered tasks.
 */
import process from 'node:process';
import { Annotation, END, Send, START, StateGraph } from '@langchain/langgraph';

/**
 * @param {{ n: number, latency: number | undefined, concurrency: number }} options
 * @param {(index: number, latency: number | undefined) => Promise<string | null>} runTask
 */
export async function runLangGraphFanOut(options, runTask) {
  const countOnly = process.env.DYNAFLOW_BENCH_LANGGRAPH_REDUCER === 'count';
  const FanOut = Annotation.Root({
    n: Annotation(),
    latency: Annotation(),
    results: Annotation({ reducer: (all, more) => all.concat(more), default: () => [] }),
    answered: Annotation({ reducer: (total, more) => total + more, default: () => 0 }),
  });
  const graph = new StateGraph(FanOut)
    .addNode('worker', async (task) => {
      const text = await runTask(task.index, task.latency);
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
}
