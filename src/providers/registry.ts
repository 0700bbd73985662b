/**
 * Which provider a run talks to, and building it from the environment. Credentials are checked
 * here, at once, so a run without them fails before it schedules anything (SPEC §3): the error
 * (PROVIDER_CREDENTIALS_MISSING) names every variable still to set.
 *
 * `sim` is a known id but is built by the runtime (it starts the simulator in-process and aims the
 * anthropic adapter at it), so `createProvider('sim')` refuses with a pointer to that path.
 */
import { ProviderError } from '../errors/index.js';
import { createAnthropicProvider } from './anthropic/index.js';
import { readVariable as read } from './internal/client-defaults.js';
import { proxyFromEnvironment } from './internal/http-transport.js';
import { createModelResolver } from './model-catalog.js';
import { withPrices } from './pricing.js';
import {
  MODEL_PROVIDER_INTERFACE_VERSION,
  type ModelProvider,
  type PriceOverride,
  type PricingContext,
  type ProxySettings,
} from './types.js';

export const PROVIDER_IDS = ['anthropic', 'bedrock', 'vertex', 'foundry', 'openai', 'sim'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface CreateProviderOptions {
  /**
   * Model name overrides (settings `models`), e.g. `{ sonnet: 'us.anthropic.claude-sonnet-4-6' }`.
   * They win over Claude Code's ANTHROPIC_DEFAULT_{OPUS,SONNET,HAIKU}_MODEL variables, which win
   * over the built-in aliases.
   */
  readonly models?: Readonly<Record<string, string>> | undefined;
  /** Prices by model id (settings `prices`), `*` for any other; see `withPrices`. */
  readonly prices?: Readonly<Record<string, PriceOverride>> | undefined;
}

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

function credentialsMissing(provider: string, missing: readonly string[], hint: string): ProviderError {
  const list = missing.join(', and ');
  return new ProviderError(
    'PROVIDER_CREDENTIALS_MISSING',
    `The ${provider} provider needs ${list}, which ${missing.length > 1 ? 'are' : 'is'} not set.`,
    { hint },
  );
}

/** True for a URL on this machine: local model servers (Ollama, vLLM, LM Studio) need no key. */
export function isLoopbackUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    hostname === '0.0.0.0' ||
    /^127(?:\.\d{1,3}){3}$/.test(hostname)
  );
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

/** ANTHROPIC_DEFAULT_{OPUS,SONNET,HAIKU}_MODEL (Claude Code's names), then the given overrides. */
function modelOverrides(env: NodeJS.ProcessEnv, options: CreateProviderOptions): Record<string, string> {
  const result: Record<string, string> = {};
  for (const alias of ['opus', 'sonnet', 'haiku']) {
    const value = read(env, `ANTHROPIC_DEFAULT_${alias.toUpperCase()}_MODEL`);
    if (value !== undefined) result[alias] = value;
  }
  return { ...result, ...options.models };
}

function createAnthropic(env: NodeJS.ProcessEnv, common: AdapterCommon): ModelProvider {
  const apiKey = read(env, 'ANTHROPIC_API_KEY');
  if (apiKey === undefined) {
    throw credentialsMissing(
      'anthropic',
      ['ANTHROPIC_API_KEY'],
      'Set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for another endpoint), or use --provider sim.',
    );
  }
  return createAnthropicProvider({ apiKey, baseURL: read(env, 'ANTHROPIC_BASE_URL'), ...common });
}

function createBedrock(env: NodeJS.ProcessEnv, common: AdapterCommon): ModelProvider {
  const region = read(env, 'AWS_REGION');
  const accessKeyId = read(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = read(env, 'AWS_SECRET_ACCESS_KEY');
  const profile = read(env, 'AWS_PROFILE');
  const apiKey = read(env, 'AWS_BEARER_TOKEN_BEDROCK');
  const skipAuth = isTruthy(env.CLAUDE_CODE_SKIP_BEDROCK_AUTH);
  // Role-based credentials the AWS chain finds on its own (EKS/IRSA, ECS tasks).
  const roleCredentials = [
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ].some((name) => read(env, name) !== undefined);
  const missing: string[] = [];
  if (region === undefined) missing.push('AWS_REGION');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    missing.push(accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY');
  } else if (accessKeyId === undefined && !profile && !apiKey && !skipAuth && !roleCredentials) {
    missing.push('AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)');
  }
  if (region === undefined || missing.length > 0) {
    throw credentialsMissing(
      'bedrock',
      missing,
      'Set AWS_REGION (e.g. us-east-1) and AWS credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or AWS_BEARER_TOKEN_BEDROCK. ANTHROPIC_BEDROCK_BASE_URL overrides the endpoint.',
    );
  }
  return deferAdapter('bedrock', { provider: 'bedrock', region }, common.models, async () =>
    (await import('./bedrock/index.js')).createBedrockProvider({
      region,
      baseURL: read(env, 'ANTHROPIC_BEDROCK_BASE_URL'),
      accessKeyId,
      secretAccessKey,
      sessionToken: read(env, 'AWS_SESSION_TOKEN'),
      profile,
      apiKey,
      skipAuth,
      ...common,
    }),
  );
}

function createVertex(env: NodeJS.ProcessEnv, common: AdapterCommon): ModelProvider {
  const projectId = read(env, 'ANTHROPIC_VERTEX_PROJECT_ID');
  const region = read(env, 'CLOUD_ML_REGION');
  if (projectId === undefined || region === undefined) {
    const missing = [
      ...(projectId === undefined ? ['ANTHROPIC_VERTEX_PROJECT_ID'] : []),
      ...(region === undefined ? ['CLOUD_ML_REGION'] : []),
    ];
    throw credentialsMissing(
      'vertex',
      missing,
      'Set ANTHROPIC_VERTEX_PROJECT_ID (your Google Cloud project) and CLOUD_ML_REGION (e.g. global or us-east5); Google credentials come from `gcloud auth application-default login`.',
    );
  }
  return deferAdapter('vertex', { provider: 'vertex', region }, common.models, async () =>
    (await import('./vertex/index.js')).createVertexProvider({
      projectId,
      region,
      baseURL: read(env, 'ANTHROPIC_VERTEX_BASE_URL'),
      skipAuth: isTruthy(env.CLAUDE_CODE_SKIP_VERTEX_AUTH),
      ...common,
    }),
  );
}

function createFoundry(env: NodeJS.ProcessEnv, common: AdapterCommon): ModelProvider {
  const apiKey = read(env, 'ANTHROPIC_FOUNDRY_API_KEY');
  const baseURL = read(env, 'ANTHROPIC_FOUNDRY_BASE_URL');
  const resource = read(env, 'ANTHROPIC_FOUNDRY_RESOURCE');
  if (baseURL === undefined && resource === undefined) {
    throw credentialsMissing(
      'foundry',
      ['ANTHROPIC_FOUNDRY_RESOURCE (your resource name) or ANTHROPIC_FOUNDRY_BASE_URL'],
      'Set ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL (https://<resource>.services.ai.azure.com/anthropic), and ANTHROPIC_FOUNDRY_API_KEY — or, without a key, sign in to Azure for Entra ID (`az login`, a service principal, a managed identity).',
    );
  }
  // Without a key, as in Claude Code: Entra ID through the Azure SDK's default credential chain.
  // Whether a sign-in exists is known only when a token is asked for, at the first request.
  return deferAdapter('foundry', { provider: 'foundry' }, common.models, async () =>
    (await import('./foundry/index.js')).createFoundryProvider({ apiKey, baseURL, resource, ...common }),
  );
}

function createOpenAI(env: NodeJS.ProcessEnv, common: AdapterCommon): ModelProvider {
  const baseURL = read(env, 'OPENAI_BASE_URL');
  const apiKey = read(env, 'OPENAI_API_KEY');
  const keyNeeded = baseURL === undefined || !isLoopbackUrl(baseURL);
  if (baseURL === undefined || (apiKey === undefined && keyNeeded)) {
    const missing = [
      ...(baseURL === undefined ? ['OPENAI_BASE_URL'] : []),
      ...(apiKey === undefined && keyNeeded ? ['OPENAI_API_KEY'] : []),
    ];
    throw credentialsMissing(
      'openai',
      missing,
      'Set OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama, https://api.openai.com/v1) and OPENAI_API_KEY (not needed for a server on this machine).',
    );
  }
  return deferAdapter('openai', { provider: 'openai' }, common.models, async () =>
    (await import('./openai/index.js')).createOpenAIProvider({
      baseURL,
      apiKey,
      organization: read(env, 'OPENAI_ORG_ID'),
      project: read(env, 'OPENAI_PROJECT_ID'),
      ...common,
    }),
  );
}

/**
 * Builds the provider `id` from `env` (only the variables SPEC §3 documents are read). Missing
 * credentials fail at once with PROVIDER_CREDENTIALS_MISSING naming the variable(s); an unknown
 * id fails with PROVIDER_UNKNOWN. No request is made here.
 *
 * @example
 * const provider = createProvider('bedrock', process.env, { models: settings.models }) // needs AWS_REGION + AWS credentials
 */
export function createProvider(
  id: string,
  env: NodeJS.ProcessEnv,
  options: CreateProviderOptions = {},
): ModelProvider {
  const common = { models: modelOverrides(env, options), proxy: proxyFromEnvironment(env) };
  return withPrices(createNamedProvider(id, env, common), options.prices);
}

/** What every adapter is given besides its own credentials. */
interface AdapterCommon {
  readonly models: Record<string, string>;
  readonly proxy: ProxySettings;
}

function createNamedProvider(id: string, env: NodeJS.ProcessEnv, common: AdapterCommon): ModelProvider {
  switch (id) {
    case 'anthropic':
      return createAnthropic(env, common);
    case 'bedrock':
      return createBedrock(env, common);
    case 'vertex':
      return createVertex(env, common);
    case 'foundry':
      return createFoundry(env, common);
    case 'openai':
      return createOpenAI(env, common);
    case 'sim':
      throw new ProviderError(
        'PROVIDER_UNKNOWN',
        'The sim provider is started by the runtime, not by createProvider.',
        {
          hint: 'Start the simulator and use createAnthropicProvider({ apiKey: "sim", baseURL: url, id: "sim" }).',
        },
      );
    default:
      throw unknownProvider(id, 'createProvider');
  }
}

/**
 * A provider whose SDK is loaded on its first request. Credentials are checked before this point
 * and model names resolve without the SDK, so a run that uses one provider never pays for
 * loading the other four (the AWS and Google SDKs weigh more than the rest of a small run).
 */
function deferAdapter(
  id: 'bedrock' | 'vertex' | 'foundry' | 'openai',
  pricing: PricingContext,
  models: Record<string, string>,
  load: () => Promise<ModelProvider>,
): ModelProvider {
  let adapter: Promise<ModelProvider> | undefined;
  return {
    interfaceVersion: MODEL_PROVIDER_INTERFACE_VERSION,
    id,
    pricing,
    resolveModel: createModelResolver(id, models),
    createMessage: async (request, options) => (await (adapter ??= load())).createMessage(request, options),
    close: async () => {
      if (adapter) await (await adapter).close?.();
    },
  };
}
