/**
 * The implementations of the same fan-out, as commands the bench runs in a fresh process:
 * `ours` = the whole `dynaflow run` CLI, `floor` = a plain @anthropic-ai/sdk script (`floor-undici`:
 * the same script over the HTTP transport dynaflow uses, undici 7's fetch), `langgraph`
 * = the LangGraph JS Send-API graph calling the SDK, `langgraph-chat` = the same graph calling
 * `ChatAnthropic` (@langchain/anthropic), as LangGraph users call a model. All read ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY and take
 * `--args '{"n":…,"latency":…}' --concurrency N`, and print the number of answered tasks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const IMPLEMENTATIONS = [
  'ours',
  'ours-no-sandbox',
  'floor',
  'floor-undici',
  'langgraph',
  'langgraph-chat',
];

export const LABELS = {
  ours: 'dynaflow (CLI)',
  'ours-no-sandbox': 'dynaflow (CLI), --no-sandbox',
  floor: 'plain SDK (floor)',
  'floor-undici': 'plain SDK + undici 7 fetch',
  langgraph: 'LangGraph JS (peer)',
  'langgraph-chat': 'LangGraph JS + ChatAnthropic (peer)',
};

/**
 * @returns {Promise<{ nodeArgs: string[], cleanup(): Promise<void> }>}
 */
export async function commandFor(implementation, { n, latency, concurrency }) {
  const args = JSON.stringify(latency === undefined ? { n } : { n, latency });
  const common = ['--args', args, '--concurrency', String(concurrency)];
  switch (implementation) {
    case 'ours':
    case 'ours-no-sandbox': {
      // A fresh journal per run: the bench measures a cold run, never a replay.
      const stateDir = await mkdtemp(path.join(tmpdir(), 'dynaflow-bench-state-'));
      return {
        nodeArgs: [
          'bin/dynaflow.js',
          'run',
          'bench/fanout.workflow.js',
          '--provider',
          'anthropic',
          '--yes',
          '--quiet',
          ...common,
          // The default agent cap is 1,000 per run; only the 10k overhead bench needs more.
          ...(n > 1000 ? ['--max-agents', String(n)] : []),
          '--state-dir',
          stateDir,
          // The OS sandbox wraps commands only: a fan-out of agents that run none must not pay for it.
          ...(implementation === 'ours-no-sandbox' ? ['--no-sandbox'] : []),
        ],
        cleanup: () => rm(stateDir, { recursive: true, force: true }),
      };
    }
    case 'floor':
      return { nodeArgs: ['bench/clients/floor-sdk.js', ...common], cleanup: async () => {} };
    case 'floor-undici':
      return {
        nodeArgs: ['bench/clients/floor-sdk.js', ...common, '--transport', 'undici'],
        cleanup: async () => {},
      };
    case 'langgraph':
      return { nodeArgs: ['bench/clients/peer-langgraph.js', ...common], cleanup: async () => {} };
    case 'langgraph-chat':
      return { nodeArgs: ['bench/clients/peer-langgraph-chat.js', ...common], cleanup: async () => {} };
    default:
      throw new Error(`unknown implementation ${implementation}; use ${IMPLEMENTATIONS.join(', ')}`);
  }
}
