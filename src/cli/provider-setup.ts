/**
 * Turns `--provider` (or DYNAFLOW_PROVIDER / Claude Code's switches) into a live ModelProvider.
 * `sim` starts the simulator in this process on 127.0.0.1 and talks to it over HTTP through
 * the real anthropic adapter, so the wire path is the one real providers use.
 */
import {
  createAnthropicProvider,
  createProvider,
  resolveProviderId,
  withPrices,
  type ModelProvider,
  type PriceOverride,
} from '../providers/index.js';
import type { SimBehaviour } from '../sim/index.js';

export interface OpenProvider {
  readonly id: string;
  readonly provider: ModelProvider;
  close(): Promise<void>;
}

export interface ProviderSetupOptions {
  readonly simLatencyMs?: number;
  readonly simSeed?: number;
  readonly simBehaviour?: SimBehaviour;
  /** Settings `models`: alias and name overrides, applied by `resolveModel` of every provider. */
  readonly models?: Readonly<Record<string, string>>;
  /** Settings `prices`: what a model costs when the built-in table does not know it. */
  readonly prices?: Readonly<Record<string, PriceOverride>>;
}

export async function openProvider(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  options: ProviderSetupOptions = {},
): Promise<OpenProvider> {
  const id = resolveProviderId(flag, env);
  if (id !== 'sim') {
    const provider = createProvider(id, env, { models: options.models, prices: options.prices });
    return { id, provider, close: async () => provider.close?.() };
  }
  // Loaded only for `--provider sim`: a run against a real provider never needs the simulator.
  const { startSimulator } = await import('../sim/index.js');
  const simulator = await startSimulator({
    port: 0,
    ...(options.simLatencyMs !== undefined ? { latencyMs: options.simLatencyMs } : {}),
    ...(options.simSeed !== undefined ? { seed: options.simSeed } : {}),
    ...(options.simBehaviour !== undefined ? { behaviour: options.simBehaviour } : {}),
  });
  const provider = withPrices(
    createAnthropicProvider({
      apiKey: 'sim-no-key-needed',
      baseURL: simulator.url,
      id: 'sim',
      models: options.models,
    }),
    options.prices,
  );
  return {
    id,
    provider,
    close: async () => {
      await provider.close?.();
      await simulator.close();
    },
  };
}
