import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { synthesiseFromSchema, synthesiseShared } from './schema-synthesis.js';

const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
addFormatsModule.default(ajv);
const ajv2020 = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormatsModule.default(ajv2020);

function expectValid(schema: Record<string, unknown>, validator: Ajv | Ajv2020 = ajv): unknown {
  const value = synthesiseFromSchema(schema);
  const validate = validator.compile(schema);
  expect(validate(value), JSON.stringify({ value, errors: validate.errors })).toBe(true);
  return value;
}

const CASES: Record<string, Record<string, unknown>> = {
  'types and required': {
    type: 'object',
    required: ['name', 'count', 'ratio', 'done', 'nothing'],
    properties: {
      name: { type: 'string' },
      count: { type: 'integer' },
      ratio: { type: 'number' },
      done: { type: 'boolean' },
      nothing: { type: 'null' },
    },
  },
  'enum and const': {
    type: 'object',
    required: ['level', 'kind'],
    properties: { level: { enum: ['low', 'high'] }, kind: { const: 'fix' } },
  },
  'array bounds and unique items': {
    type: 'object',
    required: ['tags', 'none', 'pair'],
    properties: {
      tags: {
        type: 'array',
        items: { type: 'string', enum: ['a', 'b', 'c'] },
        minItems: 3,
        maxItems: 3,
        uniqueItems: true,
      },
      none: { type: 'array', items: { type: 'integer' }, maxItems: 0 },
      pair: { type: 'array', items: { type: 'integer', minimum: 10 }, minItems: 2, uniqueItems: true },
    },
  },
  'number bounds': {
    type: 'object',
    required: ['a', 'b', 'c', 'd', 'e', 'f'],
    properties: {
      a: { type: 'integer', minimum: 5, maximum: 9 },
      b: { type: 'integer', exclusiveMinimum: 5 },
      c: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      d: { type: 'number', maximum: -3 },
      e: { type: 'integer', minimum: 7, multipleOf: 5 },
      f: { type: 'number', exclusiveMaximum: -10 },
    },
  },
  'string lengths, formats and patterns': {
    type: 'object',
    required: ['short', 'long', 'when', 'mail', 'link', 'id', 'code', 'day'],
    properties: {
      short: { type: 'string', maxLength: 3 },
      long: { type: 'string', minLength: 40 },
      when: { type: 'string', format: 'date-time' },
      mail: { type: 'string', format: 'email' },
      link: { type: 'string', format: 'uri' },
      id: { type: 'string', format: 'uuid' },
      code: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
      day: { type: 'string', format: 'date' },
    },
  },
  'nested objects and arrays': {
    type: 'object',
    required: ['files'],
    properties: {
      files: {
        type: 'array',
        minItems: 2,
        items: {
          type: 'object',
          required: ['path', 'hunks'],
          additionalProperties: false,
          properties: {
            path: { type: 'string', minLength: 1 },
            hunks: {
              type: 'array',
              items: {
                type: 'object',
                required: ['line'],
                properties: { line: { type: 'integer', minimum: 1 } },
              },
            },
          },
        },
      },
    },
  },
  'anyOf, oneOf, allOf and nullable types': {
    type: 'object',
    required: ['either', 'one', 'both', 'maybe', 'nullFirst'],
    properties: {
      either: { anyOf: [{ type: 'integer', minimum: 3 }, { type: 'string' }] },
      one: { oneOf: [{ type: 'string', maxLength: 2 }, { type: 'boolean' }] },
      both: {
        allOf: [
          { type: 'object', required: ['x'], properties: { x: { type: 'integer' } } },
          { required: ['y'], properties: { y: { type: 'string' } } },
        ],
      },
      maybe: { type: ['string', 'null'], minLength: 2 },
      nullFirst: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 1 }] },
    },
  },
  'local refs and definitions': {
    type: 'object',
    required: ['root'],
    definitions: {
      node: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'integer' },
          children: { type: 'array', items: { $ref: '#/definitions/node' } },
        },
      },
    },
    properties: { root: { $ref: '#/definitions/node' } },
  },
  'min/max properties with additional properties': {
    type: 'object',
    minProperties: 3,
    additionalProperties: { type: 'integer' },
    properties: { a: { type: 'integer' } },
  },
};

describe('schema synthesis', () => {
  for (const [name, schema] of Object.entries(CASES)) {
    it(`satisfies ${name}`, () => {
      expectValid(schema);
    });
  }

  it('satisfies a 2020-12 schema with $defs, prefixItems and contains', () => {
    expectValid(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        required: ['point', 'list'],
        $defs: { coordinate: { type: 'number', minimum: -1, maximum: 1 } },
        properties: {
          point: {
            type: 'array',
            prefixItems: [{ $ref: '#/$defs/coordinate' }, { type: 'string' }],
            minItems: 2,
          },
          list: { type: 'array', contains: { const: 42 }, items: { type: 'integer' } },
        },
      },
      ajv2020,
    );
  });

  it('satisfies the JSON Schema zod produces for a nested object', () => {
    const schema = z.toJSONSchema(
      z.object({
        verdict: z.enum(['pass', 'fail']),
        score: z.number().int().min(1).max(10),
        notes: z.array(z.string().min(3)).min(1).max(4),
        reviewer: z.object({ name: z.string(), email: z.email().nullable() }),
        extra: z.string().optional(),
      }),
      { target: 'draft-2020-12' },
    ) as Record<string, unknown>;
    const value = expectValid(schema, ajv2020) as { verdict: string; score: number };
    expect(value.verdict).toBe('pass');
    expect(value.score).toBe(1);
  });

  it('honours draft-4 boolean exclusive bounds (ajv 8 cannot compile them, so checked directly)', () => {
    const value = synthesiseFromSchema({
      type: 'object',
      required: ['n', 'x'],
      properties: {
        n: { type: 'integer', minimum: 0, exclusiveMinimum: true },
        x: { type: 'number', maximum: 0, exclusiveMaximum: true },
      },
    }) as { n: number; x: number };
    expect(Number.isInteger(value.n) && value.n > 0).toBe(true);
    expect(value.x).toBeLessThan(0);
  });

  it('is deterministic and returns fresh copies', () => {
    const schema = {
      type: 'object',
      required: ['list'],
      properties: { list: { type: 'array', items: { type: 'string' } } },
    };
    const first = synthesiseFromSchema(schema) as { list: string[] };
    first.list.push('mutated');
    expect(synthesiseFromSchema(JSON.parse(JSON.stringify(schema)))).toEqual({ list: ['sample list'] });
  });

  it('caches by schema text so equal schemas share one synthesised value', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'integer', minimum: 4 } } };
    const again = JSON.parse(JSON.stringify(schema)) as unknown;
    expect(synthesiseShared(schema)).toBe(synthesiseShared(again));
  });

  it('keeps recursive schemas finite', () => {
    const schema = {
      $ref: '#/$defs/tree',
      $defs: {
        tree: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/$defs/tree' } } } },
      },
    };
    expect(JSON.stringify(synthesiseFromSchema(schema)).length).toBeLessThan(500);
    expectValid(schema, ajv2020);
  });
});
