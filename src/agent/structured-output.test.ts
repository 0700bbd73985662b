import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { DynaflowError } from '../errors/index.js';
import {
  createScriptedProvider,
  scriptedResponse,
  toolUse,
  type ModelRequest,
  type ScriptedResponder,
  type ToolResultBlock,
} from '../providers/index.js';
import { MAX_STRUCTURED_OUTPUT_ATTEMPTS, runAgent } from './agent-loop.js';
import { checkSchemaSatisfiable, normalizeSchema, STRUCTURED_OUTPUT_TOOL } from './structured-output.js';
import type { AgentSpec, AgentTool, SchemaInput } from './types.js';

const FIX = { type: 'object', required: ['fixed'], properties: { fixed: { type: 'boolean' } } };

function run(respond: ScriptedResponder, spec: Partial<AgentSpec> = {}) {
  const provider = createScriptedProvider(respond);
  const outcome = runAgent(
    { prompt: 'fix it', model: 'claude-haiku-5-5', tools: [], schema: FIX, ...spec },
    {
      send: (request, options) => provider.createMessage(request, options),
      signal: new AbortController().signal,
      workspace: '/w',
    },
  );
  return { provider, outcome };
}

function toolResults(request: ModelRequest | undefined): ToolResultBlock[] {
  const last = request?.messages.at(-1);
  if (last?.role !== 'user' || typeof last.content === 'string') return [];
  return last.content.filter((block): block is ToolResultBlock => block.type === 'tool_result');
}

function errorCode(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    return DynaflowError.isInstance(error) ? error.code : 'not-a-dynaflow-error';
  }
  return undefined;
}

const noopTool: AgentTool = {
  readOnly: true,
  definition: { name: 'Look', description: 'looks', inputSchema: { type: 'object' } },
  run: () => Promise.resolve({ content: 'seen' }),
};

describe('structured output', () => {
  it('returns the validated object on the first valid call, forcing the tool when it is the only one', async () => {
    const { provider, outcome } = run(() =>
      scriptedResponse([toolUse(STRUCTURED_OUTPUT_TOOL, { fixed: true })]),
    );
    await expect(outcome).resolves.toMatchObject({
      ok: true,
      value: { fixed: true },
      turns: 1,
      toolCalls: 1,
    });
    const request = provider.requests[0];
    expect(request?.toolChoice).toEqual({ type: 'tool', name: STRUCTURED_OUTPUT_TOOL });
    expect(request?.tools.map((tool) => tool.name)).toEqual([STRUCTURED_OUTPUT_TOOL]);
    expect(request?.tools[0]?.inputSchema).toEqual(FIX);
  });

  it('sends validation errors back for repair, then accepts the corrected input', async () => {
    const { provider, outcome } = run((_request, index) =>
      scriptedResponse([
        toolUse(STRUCTURED_OUTPUT_TOOL, index === 0 ? { fixed: 'yes', extra: 1 } : { fixed: false }),
      ]),
    );
    await expect(outcome).resolves.toMatchObject({ ok: true, value: { fixed: false }, turns: 2 });
    const [result] = toolResults(provider.requests[1]);
    expect(result?.is_error).toBe(true);
    expect(result?.content).toContain('/fixed');
    expect(result?.content).toContain('boolean');
  });

  it(`fails with STRUCTURED_OUTPUT_FAILED after ${MAX_STRUCTURED_OUTPUT_ATTEMPTS} invalid attempts, carrying the last error`, async () => {
    const { provider, outcome } = run(() => scriptedResponse([toolUse(STRUCTURED_OUTPUT_TOOL, {})]));
    const result = await outcome;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('STRUCTURED_OUTPUT_FAILED');
      expect(result.error.message).toContain("required property 'fixed'");
    }
    expect(provider.requests).toHaveLength(MAX_STRUCTURED_OUTPUT_ATTEMPTS);
  });

  it('reminds an agent that ends with text (other tools present) and forces the tool on that turn', async () => {
    const { provider, outcome } = run(
      (_request, index) => {
        if (index === 0) return scriptedResponse([toolUse('Look', {})]);
        if (index === 1) return scriptedResponse([{ type: 'text', text: 'It is fixed.' }]);
        return scriptedResponse([toolUse(STRUCTURED_OUTPUT_TOOL, { fixed: true })]);
      },
      { tools: [noopTool] },
    );
    const result = await outcome;
    expect(result).toMatchObject({ ok: true, value: { fixed: true }, turns: 3 });
    expect(provider.requests.map((request) => request.toolChoice)).toEqual([
      { type: 'auto' },
      { type: 'auto' },
      { type: 'tool', name: STRUCTURED_OUTPUT_TOOL },
    ]);
    const reminder = provider.requests[2]?.messages.at(-1);
    expect(reminder?.role).toBe('user');
    expect(typeof reminder?.content === 'string' && reminder.content.includes(STRUCTURED_OUTPUT_TOOL)).toBe(
      true,
    );
    expect(result.transcript.some((entry) => entry.kind === 'reminder')).toBe(true);
  });

  it('accepts a zod v4 schema and validates against its JSON Schema form', async () => {
    const schema = z.object({ count: z.number().int().min(1), tags: z.array(z.string()) });
    const { provider, outcome } = run(
      (_request, index) =>
        scriptedResponse([
          toolUse(STRUCTURED_OUTPUT_TOOL, index === 0 ? { count: 0, tags: [] } : { count: 2, tags: ['a'] }),
        ]),
      { schema: schema as unknown as SchemaInput },
    );
    await expect(outcome).resolves.toMatchObject({ ok: true, value: { count: 2, tags: ['a'] }, turns: 2 });
    const inputSchema = provider.requests[0]?.tools[0]?.inputSchema;
    expect(inputSchema).toMatchObject({ type: 'object', required: ['count', 'tags'] });
    expect(inputSchema).not.toHaveProperty('$schema');
  });

  it('validates formats (ajv-formats)', async () => {
    const schema = {
      type: 'object',
      required: ['email'],
      properties: { email: { type: 'string', format: 'email' } },
    };
    const { outcome } = run(
      () => scriptedResponse([toolUse(STRUCTURED_OUTPUT_TOOL, { email: 'not-an-email' })]),
      { schema },
    );
    const result = await outcome;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('format');
  });
});

describe('checkSchemaSatisfiable', () => {
  it('accepts satisfiable object schemas', () => {
    expect(errorCode(() => checkSchemaSatisfiable(FIX))).toBeUndefined();
    expect(
      errorCode(() =>
        checkSchemaSatisfiable({
          type: 'object',
          required: ['x-1'],
          patternProperties: { '^x-': {} },
          additionalProperties: false,
        }),
      ),
    ).toBeUndefined();
  });

  it('rejects a root that is not an object', () => {
    expect(errorCode(() => checkSchemaSatisfiable({ type: 'array', items: {} }))).toBe(
      'SCHEMA_UNSATISFIABLE',
    );
    expect(errorCode(() => checkSchemaSatisfiable({ properties: {} }))).toBe('SCHEMA_UNSATISFIABLE');
  });

  it('rejects a required key that is forbidden', () => {
    expect(
      errorCode(() => checkSchemaSatisfiable({ type: 'object', required: ['a'], properties: { a: false } })),
    ).toBe('SCHEMA_UNSATISFIABLE');
    expect(
      errorCode(() =>
        checkSchemaSatisfiable({
          type: 'object',
          required: ['a'],
          properties: { b: {} },
          additionalProperties: false,
        }),
      ),
    ).toBe('SCHEMA_UNSATISFIABLE');
    expect(
      errorCode(() =>
        checkSchemaSatisfiable({
          type: 'object',
          required: ['inner'],
          properties: { inner: { type: 'object', required: ['z'], properties: { z: false } } },
        }),
      ),
    ).toBe('SCHEMA_UNSATISFIABLE');
  });

  it('rejects a schema ajv cannot compile with SCHEMA_INVALID', () => {
    expect(
      errorCode(() =>
        checkSchemaSatisfiable({ type: 'object', properties: { a: { type: 'no-such-type' } } }),
      ),
    ).toBe('SCHEMA_INVALID');
    expect(errorCode(() => checkSchemaSatisfiable('nope' as unknown as SchemaInput))).toBe('SCHEMA_INVALID');
  });

  it('makes runAgent reject before any request', async () => {
    const { provider, outcome } = run(() => scriptedResponse([]), { schema: { type: 'string' } });
    await expect(outcome).rejects.toMatchObject({ code: 'SCHEMA_UNSATISFIABLE' });
    expect(provider.requests).toHaveLength(0);
  });

  it('converts zod schemas, and refuses zod v3 lookalikes', () => {
    expect(normalizeSchema(z.object({ a: z.string() }) as unknown as SchemaInput)).toMatchObject({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    expect(errorCode(() => checkSchemaSatisfiable(z.string() as unknown as SchemaInput))).toBe(
      'SCHEMA_UNSATISFIABLE',
    );
    const v3Like = { _def: {}, safeParse: () => ({}) };
    expect(errorCode(() => checkSchemaSatisfiable(v3Like))).toBe('SCHEMA_INVALID');
  });
});
