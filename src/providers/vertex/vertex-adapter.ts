/**
 * Google Vertex AI, over `@anthropic-ai/vertex-sdk` (AnthropicVertex): the Messages API body, sent
 * to `…/projects/{p}/locations/{l}/publishers/anthropic/models/{m}:streamRawPredict` with a Google
 * OAuth token (Application Default Credentials). The exchange is the shared one.
 */
import { AnthropicVertex, type ClientOptions as VertexClientOptions } from '@anthropic-ai/vertex-sdk';

import { createMessagesProvider } from '../internal/anthropic-messages.js';
import {
  DEFAULT_TIMEOUT_MS,
  credentialsUnresolved,
  hasMessage,
  stderrLogger,
} from '../internal/client-defaults.js';
import { sharedFetch } from '../internal/http-transport.js';
import { createModelResolver } from '../model-catalog.js';
import type { ModelProvider, ProxySettings } from '../types.js';

export interface VertexProviderOptions {
  /** ANTHROPIC_VERTEX_PROJECT_ID. */
  readonly projectId: string;
  /** CLOUD_ML_REGION: `global`, `us-east5`, `europe-west1`, … */
  readonly region: string;
  /** ANTHROPIC_VERTEX_BASE_URL; default `https://{region}-aiplatform.googleapis.com/v1`. */
  readonly baseURL?: string | undefined;
  /**
   * CLAUDE_CODE_SKIP_VERTEX_AUTH=1: send no Google credentials (a gateway adds them, or the
   * simulator). No Google auth library call — and so no network access — is made.
   */
  readonly skipAuth?: boolean | undefined;
  readonly models?: Readonly<Record<string, string>> | undefined;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (`proxyFromEnvironment`), for the default transport. */
  readonly proxy?: ProxySettings | undefined;
}

type AuthClient = NonNullable<VertexClientOptions['authClient']>;

/**
 * Stands in for google-auth-library's AuthClient when auth is skipped: the SDK asks it for
 * request headers and a project id, and gets none.
 */
const NO_AUTH = {
  projectId: undefined,
  getRequestHeaders: () => Promise.resolve(new Headers()),
} as unknown as AuthClient;

const CREDENTIAL_HINT =
  'Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file (CLAUDE_CODE_SKIP_VERTEX_AUTH=1 skips Google auth behind a gateway).';

/**
 * Creates the Vertex AI provider.
 *
 * @example
 * const provider = createVertexProvider({ projectId: 'my-project', region: 'global' })
 * provider.resolveModel('haiku') // 'claude-haiku-5-5'
 */
export function createVertexProvider(options: VertexProviderOptions): ModelProvider {
  const baseURL = options.baseURL?.trim();
  // Built on first use: without skipAuth the SDK starts resolving Google credentials (files,
  // the metadata server) in its constructor, which createProvider must not do.
  const client = (): AnthropicVertex =>
    new AnthropicVertex({
      projectId: options.projectId,
      region: options.region,
      ...(baseURL ? { baseURL } : {}),
      ...(options.skipAuth === true ? { authClient: NO_AUTH } : {}),
      maxRetries: 0,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      fetch: options.fetch ?? sharedFetch(options.proxy),
      logger: stderrLogger(),
      openTelemetry: false,
    });
  return createMessagesProvider({
    id: 'vertex',
    client,
    resolveModel: createModelResolver('vertex', options.models),
    pricing: { provider: 'vertex', region: options.region },
    failure: {
      providerName: 'Vertex AI',
      credentialVariable: 'Google Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS)',
    },
    classifyFailure: (error) =>
      hasMessage(error, /Failed to acquire Google OAuth credentials|Could not load the default credentials/)
        ? credentialsUnresolved('Google credentials for Vertex AI', CREDENTIAL_HINT, error)
        : undefined,
  });
}
