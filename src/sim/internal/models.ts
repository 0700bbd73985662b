/**
 * `GET /v1/models` and `GET /v1/models/{id}`. One body serves both the Anthropic SDK (type,
 * display_name, created_at, has_more/first_id/last_id) and the OpenAI SDK (object, created,
 * owned_by), which call the same path.
 */
import { sendAnthropicError } from './anthropic-handler.js';
import { writeJson } from './http-io.js';
import type { RouteContext } from './route-context.js';

interface ModelEntry {
  readonly id: string;
  readonly displayName: string;
  readonly createdAt: string;
}

/** Newest first, as the real API lists them. */
export const SIM_MODELS: readonly ModelEntry[] = [
  { id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5', createdAt: '2026-05-01T00:00:00Z' },
  { id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5', createdAt: '2026-05-01T00:00:00Z' },
  { id: 'claude-haiku-5-5', displayName: 'Claude Haiku 5.5', createdAt: '2026-04-15T00:00:00Z' },
  { id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8', createdAt: '2026-02-01T00:00:00Z' },
  { id: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', createdAt: '2025-12-01T00:00:00Z' },
  { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', createdAt: '2025-10-15T00:00:00Z' },
];

function encodeModel(model: ModelEntry): Record<string, unknown> {
  return {
    type: 'model',
    id: model.id,
    display_name: model.displayName,
    created_at: model.createdAt,
    object: 'model',
    created: Math.floor(Date.parse(model.createdAt) / 1000),
    owned_by: 'anthropic',
  };
}

export function handleListModels(context: RouteContext): void {
  const { query } = context;
  const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 20) || 20));
  let start = 0;
  let end = SIM_MODELS.length;
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (afterId !== null) start = SIM_MODELS.findIndex((model) => model.id === afterId) + 1;
  if (beforeId !== null)
    end = Math.max(
      0,
      SIM_MODELS.findIndex((model) => model.id === beforeId),
    );
  const page =
    beforeId !== null
      ? SIM_MODELS.slice(Math.max(start, end - limit), end)
      : SIM_MODELS.slice(start, Math.min(end, start + limit));
  const hasMore = beforeId !== null ? end - limit > start : start + limit < end;
  writeJson(
    context.response,
    200,
    {
      object: 'list',
      data: page.map(encodeModel),
      has_more: hasMore,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
    },
    { 'request-id': context.requestId },
  );
}

export function handleGetModel(context: RouteContext): void {
  const id = decodeURIComponent(context.params[0] ?? '');
  const model = SIM_MODELS.find((entry) => entry.id === id);
  if (model === undefined) return sendAnthropicError(context, 404, `model: ${id}`);
  writeJson(context.response, 200, encodeModel(model), { 'request-id': context.requestId });
}
