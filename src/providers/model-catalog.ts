/**
 * Model names per provider. Scripts say `opus`/`sonnet`/`haiku` (or a full id); each provider
 * has its own ids for the same model:
 *
 * | provider            | `sonnet` resolves to               | a full id looks like                                  |
 * | ------------------- | ---------------------------------- | ----------------------------------------------------- |
 * | anthropic, foundry  | `claude-sonnet-5-5`                | `claude-…` (Foundry: the deployment name = model id)  |
 * | bedrock             | `global.anthropic.claude-sonnet-5-5` | `[geo.]anthropic.claude-…[-v1:0]` or a Bedrock ARN  |
 * | vertex              | `claude-sonnet-5-5`                | `claude-…[@YYYYMMDD]`                                 |
 * | openai              | `claude-sonnet-5-5`                | anything without spaces (local servers name freely)   |
 *
 * Current Claude models are served on Bedrock only through cross-region inference profiles (we
 * pick `global.`), and on Vertex without an `@date` suffix; older dated models keep theirs.
 *
 * The rule (`createModelResolver`): a name is, in this order, (1) a key of the `models` overrides
 * (settings `models`, or ANTHROPIC_DEFAULT_{OPUS,SONNET,HAIKU}_MODEL) → its value, verbatim;
 * (2) an alias → the provider's id; (3) a value of the overrides → itself; (4) a first-party id
 * of the catalogue below → the provider's id of that model; (5) a name matching the provider's
 * full-id pattern → itself, unchanged (new models work without a release of dynaflow). Anything
 * else fails with MODEL_UNKNOWN before a request is sent — a typo such as `sonet` or an Anthropic
 * id on Bedrock that has no known mapping.
 */
import { ModelUnknownError } from '../errors/index.js';
import { MODEL_ALIASES, isModelAlias, type ModelAlias } from './models.js';

export type CatalogProviderId = 'anthropic' | 'bedrock' | 'vertex' | 'foundry' | 'openai';

interface CatalogEntry {
  /** First-party ids of the model (the first is canonical). */
  readonly anthropic: readonly string[];
  readonly bedrock: string;
  readonly vertex: string;
}

/**
 * Models whose ids on each platform are known. Sources: Anthropic's "Claude on Amazon Bedrock" and
 * "Claude on Vertex AI" model tables, and AWS's inference-profile ids.
 */
export const MODEL_CATALOG: readonly CatalogEntry[] = [
  { anthropic: ['claude-opus-5-5'], bedrock: 'global.anthropic.claude-opus-5-5', vertex: 'claude-opus-5-5' },
  {
    anthropic: ['claude-sonnet-5-5'],
    bedrock: 'global.anthropic.claude-sonnet-5-5',
    vertex: 'claude-sonnet-5-5',
  },
  {
    anthropic: ['claude-haiku-5-5'],
    bedrock: 'global.anthropic.claude-haiku-5-5',
    vertex: 'claude-haiku-5-5',
  },
  {
    anthropic: ['claude-sonnet-4-6'],
    bedrock: 'global.anthropic.claude-sonnet-4-6',
    vertex: 'claude-sonnet-4-6',
  },
  {
    anthropic: ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    bedrock: 'global.anthropic.claude-opus-4-5-20251101-v1:0',
    vertex: 'claude-opus-4-5@20251101',
  },
  {
    anthropic: ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    bedrock: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    vertex: 'claude-sonnet-4-5@20250929',
  },
  {
    anthropic: ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    bedrock: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    vertex: 'claude-haiku-4-5@20251001',
  },
];

const CLAUDE_ID = /^claude-[a-z0-9]+(?:[-.][a-z0-9]+)*$/;
const BEDROCK_ID = /^(?:[a-z]{2,7}(?:-[a-z]+)?\.)?anthropic\.claude-[a-z0-9]+(?:[-.][a-z0-9]+)*(?::\d+)?$/;
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{0,12}:[a-z-]+\/[A-Za-z0-9._:/-]+$/;
const VERTEX_ID = /^claude-[a-z0-9]+(?:-[a-z0-9]+)*(?:@[a-z0-9]+)?$/;
const OPENAI_ID = /^\S{1,256}$/;

const ID_RULES: Record<
  CatalogProviderId,
  { readonly test: (name: string) => boolean; readonly example: string }
> = {
  anthropic: { test: (name) => CLAUDE_ID.test(name), example: 'claude-sonnet-4-6' },
  foundry: { test: (name) => CLAUDE_ID.test(name), example: 'claude-sonnet-4-6 (a deployment name)' },
  bedrock: {
    test: (name) => BEDROCK_ID.test(name) || BEDROCK_ARN.test(name),
    example: 'global.anthropic.claude-sonnet-4-6 or an inference-profile ARN',
  },
  vertex: { test: (name) => VERTEX_ID.test(name), example: 'claude-sonnet-4-5@20250929' },
  openai: { test: (name) => OPENAI_ID.test(name), example: 'llama3.1:8b' },
};

/** What `opus`/`sonnet`/`haiku` mean on each provider (before overrides). */
export function providerAliases(provider: CatalogProviderId): Readonly<Record<ModelAlias, string>> {
  if (provider !== 'bedrock' && provider !== 'vertex') return MODEL_ALIASES;
  const result = {} as Record<ModelAlias, string>;
  for (const alias of Object.keys(MODEL_ALIASES) as ModelAlias[]) {
    const entry = MODEL_CATALOG.find((candidate) => candidate.anthropic.includes(MODEL_ALIASES[alias]));
    result[alias] = entry === undefined ? MODEL_ALIASES[alias] : entry[provider];
  }
  return result;
}

function translateKnownId(provider: CatalogProviderId, name: string): string | undefined {
  if (provider !== 'bedrock' && provider !== 'vertex') return undefined;
  return MODEL_CATALOG.find((entry) => entry.anthropic.includes(name))?.[provider];
}

/**
 * Builds the `resolveModel` of a provider: alias or id → the id this provider's API takes, or
 * MODEL_UNKNOWN (a ModelUnknownError: a UsageError carrying the name) for a name that cannot be a
 * model of this provider.
 *
 * @example
 * const resolve = createModelResolver('bedrock', { haiku: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc' })
 * resolve('sonnet') // 'global.anthropic.claude-sonnet-5-5'
 * resolve('claude-sonnet-4-5') // 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'
 * resolve('sonet') // throws MODEL_UNKNOWN
 */
export function createModelResolver(
  provider: CatalogProviderId,
  overrides: Readonly<Record<string, string>> = {},
): (nameOrAlias: string) => string {
  const aliases = providerAliases(provider);
  const byKey = new Map<string, string>();
  for (const [key, value] of Object.entries(overrides)) {
    const target = value.trim();
    if (target !== '') byKey.set(key.trim().toLowerCase(), target);
  }
  const overrideValues = new Set(byKey.values());
  const rule = ID_RULES[provider];

  return (nameOrAlias: string): string => {
    const name = nameOrAlias.trim();
    const lower = name.toLowerCase();
    const overridden = byKey.get(lower);
    if (overridden !== undefined) return overridden;
    if (isModelAlias(lower)) return aliases[lower];
    if (name !== '' && overrideValues.has(name)) return name;
    const translated = translateKnownId(provider, name);
    if (translated !== undefined) return translated;
    if (name !== '' && rule.test(name)) return name;
    throw new ModelUnknownError(
      name === ''
        ? 'The model name is empty.'
        : `"${name}" is not a model the ${provider} provider knows or an id it accepts.`,
      {
        model: name,
        provider,
        hint:
          `Use opus, sonnet or haiku, or a full ${provider} model id such as ${rule.example}; ` +
          'map other names in settings "models" (e.g. { "fast": "<id>" }).',
      },
    );
  };
}
