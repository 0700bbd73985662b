/**
 * Model aliases. Scripts say `opus`/`sonnet`/`haiku` (as Claude Code's workflows do); adapters turn
 * them into ids. The ids are the newest non-deprecated ones the bundled `@anthropic-ai/sdk` knows
 * (its `Model` union and `internal/data/deprecated-models` list, checked at 1.14.0).
 */
import { ModelUnknownError } from '../errors/index.js';

export type ModelAlias = 'opus' | 'sonnet' | 'haiku';

export const MODEL_ALIASES: Readonly<Record<ModelAlias, string>> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
};

/** The model of a run when neither `--model` nor `opts.model` says otherwise. */
export const DEFAULT_MODEL_ALIAS: ModelAlias = 'sonnet';

export function isModelAlias(name: string): name is ModelAlias {
  return Object.prototype.hasOwnProperty.call(MODEL_ALIASES, name);
}

/**
 * Resolves an alias (case-insensitive, surrounding spaces ignored) to a full Anthropic model id;
 * anything else is taken as a full id and passed through. An empty name is a usage error
 * (`MODEL_UNKNOWN`).
 *
 * @example
 * resolveAnthropicModel('sonnet') // 'claude-sonnet-5-5'
 * resolveAnthropicModel('claude-opus-4-8') // 'claude-opus-4-8'
 */
export function resolveAnthropicModel(nameOrAlias: string): string {
  const name = nameOrAlias.trim();
  if (name === '') {
    throw new ModelUnknownError('The model name is empty.', {
      model: name,
      hint: `Use one of ${Object.keys(MODEL_ALIASES).join(', ')} or a full model id.`,
    });
  }
  const lower = name.toLowerCase();
  return isModelAlias(lower) ? MODEL_ALIASES[lower] : name;
}

/** `opus`, `sonnet` or `haiku` when the id belongs to that family (used for pricing), else undefined. */
export function modelFamily(modelId: string): ModelAlias | undefined {
  const lower = modelId.toLowerCase();
  if (isModelAlias(lower)) return lower;
  for (const family of Object.keys(MODEL_ALIASES) as ModelAlias[]) {
    if (lower.includes(family)) return family;
  }
  return undefined;
}
