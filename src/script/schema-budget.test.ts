import { describe, expect, it } from 'vitest';
import { checkSchemaSize, findSchemaSizeProblem, minimalInstanceBytes } from './schema-budget.js';

const SMALL = { maxInstanceBytes: 1000, maxNesting: 8 };

function codeOf(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('schema size budget', () => {
  it('BD-01 a schema bomb (minItems 1e8 of strings with minLength 1e8) is refused at once, naming the keyword', () => {
    const bomb = {
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', minItems: 1e8, items: { type: 'string', minLength: 1e8 } } },
    };
    expect(findSchemaSizeProblem(bomb)?.path).toBe('properties.items.minItems');
    const countOnly = { ...bomb, properties: { items: { type: 'array', minItems: 1e8 } } };
    expect(findSchemaSizeProblem(countOnly)?.path).toBe('properties.items.minItems');
    expect(codeOf(() => checkSchemaSize(bomb, 'agent() option "schema"'))).toBe('SCHEMA_TOO_LARGE');
  });

  it('BD-02 counts what every instance must hold: items × item size, required keys, minProperties', () => {
    const row = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 10 } } };
    // {"id":"xxxxxxxxxx"} is 19 characters; 40 of them with commas and brackets: 40 * 19 + 39 + 2.
    expect(minimalInstanceBytes({ type: 'array', minItems: 40, items: row }, {}, 0, Infinity)).toBe(801);
    expect(findSchemaSizeProblem({ type: 'array', minItems: 40, items: row }, SMALL)).toBeUndefined();
    expect(findSchemaSizeProblem({ type: 'array', minItems: 60, items: row }, SMALL)?.path).toBe('minItems');
    expect(findSchemaSizeProblem({ type: 'object', minProperties: 500 }, SMALL)?.path).toBe('minProperties');
    // Optional content costs nothing: a model may leave it out.
    expect(findSchemaSizeProblem({ type: 'array', maxItems: 1e9, items: row }, SMALL)).toBeUndefined();
    expect(findSchemaSizeProblem({ type: 'string', minLength: 5000, maxLength: 20 }, SMALL)).toBeUndefined();
  });

  it('BD-03 $ref fan-out (10^12 required strings in 13 definitions) is refused, and a $ref cycle ends at the synthesis depth', () => {
    const defs: Record<string, unknown> = { l0: { type: 'string' } };
    // Each level requires ten copies of the one below: 10^12 strings, described in a few lines.
    for (let level = 1; level <= 12; level++) {
      const properties = Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [`p${i}`, { $ref: `#/$defs/l${level - 1}` }]),
      );
      defs[`l${level}`] = { type: 'object', required: Object.keys(properties), properties };
    }
    const problem = findSchemaSizeProblem({ $ref: '#/$defs/l12', $defs: defs });
    expect(problem?.path).toMatch(/^\$defs\.l\d+\./);
    const cycle = { type: 'object', required: ['next'], properties: { next: { $ref: '#' } } };
    expect(findSchemaSizeProblem(cycle)).toBeUndefined();
  });

  it('BD-04 a schema nested deeper than the limit is refused, without recursing into all of it', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 100_000; level++) deep = { type: 'array', items: deep };
    const problem = findSchemaSizeProblem(deep);
    expect(problem?.message).toContain('nested more than 64 levels');
    expect(problem?.path.startsWith('items.items.items')).toBe(true);
  });
});
