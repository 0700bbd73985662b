/**
 * Which provider a run talks to, and building it from the environment. Credentials are checked
 * here, at once, so a run without a key fails before it schedules anything (SPEC §3).
 *
 * `sim` is a known id but is built by the runtime (it starts the simulator in-process and aims the
 * anthropic adapter at it), so `createProvider('sim')` refuses with a pointer to that path.
 */
import { ProviderError } from '../errors/index.js';
import { createAnthropicProvider } from './anthropic/anthropic-adapter.js';
import type { ModelProvider } from './types.js';

export const PROVIDER_IDS = ['anthropic', 'bedrock', 'vertex', 'foundry', 'openai', 'sim'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Known, but their adapters are not written yet. */
const PLANNED_PROVIDERS: ReadonlySet<string> = new Set(['bedrock', 'vertex', 'foundry', 'openai']);

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

function unknownProvider(name: string, source: string): ProviderError {
  return new ProviderError('PROVIDER_UNKNOWN', `Unknown provider "${name}" (from ${source}).`, {
    hint: `Use one of: ${PROVIDER_IDS.join(', ')}.`,
  });
}

function notYetSupported(id: string): ProviderError {
  return new ProviderError('PROVIDER_UNKNOWN', `The ${id} provider is not supported yet.`, {
    hint: 'Use --provider anthropic (ANTHROPIC_API_KEY) or --provider sim for now.',
  });
}

/**
 * The provider id of a run: `--provider`, else `DYNAFLOW_PROVIDER`, else Claude Code's switches
 * (`CLAUDE_CODE_USE_BEDROCK` / `_VERTEX` / `_FOUNDRY`), else `anthropic`.
 *
 * @example
 * resolveProviderId(undefined, { DYNAFLOW_PROVIDER: 'sim' }) // 'sim'
 */
export function resolveProviderId(flag: string | undefined, env: NodeJS.ProcessEnv): ProviderId {
  const explicit: Array<[string | undefined, string]> = [
    [flag, '--provider'],
    [env.DYNAFLOW_PROVIDER, 'DYNAFLOW_PROVIDER'],
  ];
  for (const [value, source] of explicit) {
    const name = value?.trim().toLowerCase();
    if (name === undefined || name === '') continue;
    if (!isProviderId(name)) throw unknownProvider(value ?? '', source);
    return name;
  }
  if (isTruthy(env.CLAUDE_CODE_USE_BEDROCK)) return 'bedrock';
  if (isTruthy(env.CLAUDE_CODE_USE_VERTEX)) return 'vertex';
  if (isTruthy(env.CLAUDE_CODE_USE_FOUNDRY)) return 'foundry';
  return 'anthropic';
}

/**
 * Builds the provider `id` from `env`. Missing credentials fail at once with
 * PROVIDER_CREDENTIALS_MISSING naming the variable; an unknown id fails with PROVIDER_UNKNOWN.
 *
 * @example
 * const provider = createProvider('anthropic', process.env) // needs ANTHROPIC_API_KEY
 */
export function createProvider(id: string, env: NodeJS.ProcessEnv): ModelProvider {
  switch (id) {
    case 'anthropic': {
      const apiKey = env.ANTHROPIC_API_KEY?.trim();
      if (apiKey === undefined || apiKey === '') {
        throw new ProviderError(
          'PROVIDER_CREDENTIALS_MISSING',
          'The anthropic provider needs ANTHROPIC_API_KEY, which is not set.',
          {
            hint: 'Set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for another endpoint), or use --provider sim.',
          },
        );
      }
      const baseURL = env.ANTHROPIC_BASE_URL?.trim();
      return createAnthropicProvider({ apiKey, ...(baseURL ? { baseURL } : {}) });
    }
    case 'sim':
      throw new ProviderError(
        'PROVIDER_UNKNOWN',
        'The sim provider is started by the runtime, not by createProvider.',
        {
          hint: 'Start the simulator and use createAnthropicProvider({ apiKey: "sim", baseURL: url, id: "sim" }).',
        },
      );
    default:
      if (PLANNED_PROVIDERS.has(id)) throw notYetSupported(id);
      throw unknownProvider(id, 'createProvider');
  }
}
