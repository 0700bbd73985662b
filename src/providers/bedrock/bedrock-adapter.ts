/**
 * Amazon Bedrock, over `@anthropic-ai/bedrock-sdk` (AnthropicBedrock): the Messages API body, sent
 * to `/model/{id}/invoke-with-response-stream`, SigV4-signed with AWS credentials (or a Bedrock
 * API key as bearer token). The exchange is the shared one; this file only builds the client.
 */
import { AnthropicBedrock, type ClientOptions as BedrockClientOptions } from '@anthropic-ai/bedrock-sdk';

import { createMessagesProvider } from '../internal/anthropic-messages.js';
import {
  DEFAULT_TIMEOUT_MS,
  credentialsUnresolved,
  hasMessage,
  secretsOf,
  stderrLogger,
} from '../internal/client-defaults.js';
import { sharedFetch } from '../internal/http-transport.js';
import { createModelResolver } from '../model-catalog.js';
import type { ModelProvider, ProxySettings } from '../types.js';

export interface BedrockProviderOptions {
  /** AWS_REGION. */
  readonly region: string;
  /** ANTHROPIC_BEDROCK_BASE_URL; default `https://bedrock-runtime.{region}.amazonaws.com`. */
  readonly baseURL?: string | undefined;
  /** Static credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN). */
  readonly accessKeyId?: string | undefined;
  readonly secretAccessKey?: string | undefined;
  readonly sessionToken?: string | undefined;
  /** AWS_PROFILE: a named profile of ~/.aws/config (SSO, assume-role, …). */
  readonly profile?: string | undefined;
  /** AWS_BEARER_TOKEN_BEDROCK: a Bedrock API key, sent instead of a SigV4 signature. */
  readonly apiKey?: string | undefined;
  /** CLAUDE_CODE_SKIP_BEDROCK_AUTH=1: send unsigned requests (a gateway signs them). */
  readonly skipAuth?: boolean | undefined;
  readonly models?: Readonly<Record<string, string>> | undefined;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (`proxyFromEnvironment`), for the default transport. */
  readonly proxy?: ProxySettings | undefined;
}

const CREDENTIAL_HINT =
  'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (run `aws sso login` for SSO profiles), or AWS_BEARER_TOKEN_BEDROCK.';

type ChainResolver = NonNullable<BedrockClientOptions['providerChainResolver']>;

/** The AWS chain for a named profile (the SDK's default chain reads AWS_PROFILE from process.env only). */
function profileChain(profile: string): ChainResolver {
  return (async () => {
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    return fromNodeProviderChain({ profile });
  }) as ChainResolver;
}

/**
 * Creates the Bedrock provider. Without static keys, an API key or a profile, the AWS default
 * credential chain of the process is used (web identity, container and instance roles).
 *
 * @example
 * const provider = createBedrockProvider({ region: 'us-east-1', profile: 'dev' })
 * provider.resolveModel('sonnet') // 'global.anthropic.claude-sonnet-5-5'
 */
export function createBedrockProvider(options: BedrockProviderOptions): ModelProvider {
  const common: Omit<BedrockClientOptions, 'awsAccessKey' | 'awsSecretKey' | 'awsSessionToken'> = {
    awsRegion: options.region,
    baseURL: options.baseURL ?? `https://bedrock-runtime.${options.region}.amazonaws.com`,
    // null, not undefined: the SDK would otherwise read AWS_BEARER_TOKEN_BEDROCK from process.env.
    apiKey: options.apiKey ?? null,
    skipAuth: options.skipAuth ?? false,
    maxRetries: 0,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetch: options.fetch ?? sharedFetch(options.proxy),
    logger: stderrLogger(),
    openTelemetry: false,
  };
  const { accessKeyId, secretAccessKey, profile } = options;
  const client =
    accessKeyId && secretAccessKey
      ? new AnthropicBedrock({
          ...common,
          awsAccessKey: accessKeyId,
          awsSecretKey: secretAccessKey,
          awsSessionToken: options.sessionToken ?? null,
        })
      : new AnthropicBedrock({
          ...common,
          // A profile named in our environment (not necessarily process.env) must reach the chain.
          providerChainResolver: profile === undefined ? null : profileChain(profile),
        });
  return createMessagesProvider({
    id: 'bedrock',
    client,
    resolveModel: createModelResolver('bedrock', options.models),
    pricing: { provider: 'bedrock', region: options.region },
    failure: {
      providerName: 'Amazon Bedrock',
      credentialVariable: 'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)',
      secrets: secretsOf(options.secretAccessKey, options.sessionToken, options.apiKey),
    },
    classifyFailure: (error) =>
      hasMessage(error, /Failed to resolve AWS credentials/)
        ? credentialsUnresolved('AWS credentials for Amazon Bedrock', CREDENTIAL_HINT, error)
        : undefined,
  });
}
