/**
 * Microsoft Entra ID for Foundry, as Claude Code does it: without ANTHROPIC_FOUNDRY_API_KEY the
 * token comes from the Azure SDK's default credential chain (environment service principal,
 * workload identity, managed identity, then the developer sign-ins: `az login`, azd, PowerShell).
 * `AZURE_TOKEN_CREDENTIALS` narrows the chain (`dev`, `prod`, or one credential's name), as in
 * every Azure SDK.
 */
import type { ProviderError } from '../../errors/index.js';
import { credentialsUnresolved, hasMessage } from '../internal/client-defaults.js';

/** The scope of Foundry's data plane (Azure AI services), per the Foundry SDK. */
const FOUNDRY_TOKEN_SCOPE = 'https://ai.azure.com/.default';

const ENTRA_ID_HINT =
  'Set ANTHROPIC_FOUNDRY_API_KEY, or sign in to Azure for Entra ID: `az login`, AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET, or a managed identity (AZURE_TOKEN_CREDENTIALS narrows which one is tried).';

/** How much of Azure's own explanation an error carries: the chain lists every credential it tried. */
const REASON_CHARS = 600;

/**
 * A token source over `DefaultAzureCredential`, loaded on first use (the Azure SDK is large and only
 * Entra ID users need it). Tokens are cached and refreshed before they expire by the Azure SDK.
 * `onToken` sees every token handed out, so provider errors can redact it.
 *
 * @example
 * const provider = createFoundryProvider({ resource: 'my-resource', entraTokenProvider: defaultEntraTokenProvider() });
 */
export function defaultEntraTokenProvider(
  onToken: (token: string) => void = () => {},
): () => Promise<string> {
  let source: Promise<() => Promise<string>> | undefined;
  return async () => {
    source ??= import('@azure/identity').then(({ DefaultAzureCredential, getBearerTokenProvider }) =>
      getBearerTokenProvider(new DefaultAzureCredential(), FOUNDRY_TOKEN_SCOPE),
    );
    const token = await (await source)();
    onToken(token);
    return token;
  };
}

/**
 * The Foundry SDK reports a token source failure as "Failed to get token from azureADTokenProvider";
 * that is a missing credential (terminal), never a connection error to retry.
 */
export function classifyEntraFailure(error: unknown): ProviderError | undefined {
  if (!hasMessage(error, /azureADTokenProvider|DefaultAzureCredential|AZURE_TOKEN_CREDENTIALS/)) {
    return undefined;
  }
  return credentialsUnresolved(
    'Microsoft Entra ID credentials for Microsoft Foundry',
    ENTRA_ID_HINT,
    error,
    azureReason(error),
  );
}

/** The innermost message, on one line: that is where Azure says which sign-in is missing. */
function azureReason(error: unknown): string {
  let current: unknown = error;
  let message = '';
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const like = current as { message?: unknown; cause?: unknown };
    if (typeof like.message === 'string' && like.message.trim() !== '') message = like.message;
    current = like.cause;
  }
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > REASON_CHARS ? `${oneLine.slice(0, REASON_CHARS - 1)}…` : oneLine;
}
