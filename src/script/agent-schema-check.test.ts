import { describe, expect, it } from 'vitest';
import { parseScript, validateScript } from './index.js';

const META = "export const meta = { name: 'bomb', description: 'd' }";

describe('static schema budget', () => {
  it('BD-18 validate refuses an agent() whose literal schema is a bomb, at the offending keyword', () => {
    const text = `${META}
return await agent('x', {
  schema: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array',
      minItems: 1e8, items: { type: 'string', minLength: 1e8 } } },
  },
})`;
    const { errors } = validateScript(text, 'bomb.workflow.js');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'SCHEMA_TOO_LARGE', line: 7, column: 7 });
    expect(errors[0]?.message).toContain('properties.items.minItems');
    expect(() => parseScript(text, 'bomb.workflow.js')).toThrow(
      expect.objectContaining({ code: 'SCHEMA_TOO_LARGE' }),
    );
  });

  it('BD-19 a top-level const schema is measured too; computed or small schemas are left to run time', () => {
    const named = `${META}\nconst SCHEMA = { type: 'array', minItems: 5e6 }\nreturn await agent('x', { schema: SCHEMA })`;
    expect(validateScript(named, 'a.workflow.js').errors.map((e) => e.code)).toEqual(['SCHEMA_TOO_LARGE']);
    const computed = `${META}\nconst n = 5e6\nreturn await agent('x', { schema: { type: 'array', minItems: n } })`;
    expect(validateScript(computed, 'a.workflow.js').errors).toEqual([]);
    const small = `${META}\nreturn await agent('x', { schema: { type: 'object', required: ['a'], properties: { a: { type: 'array', minItems: 3 } } } })`;
    expect(validateScript(small, 'a.workflow.js').errors).toEqual([]);
    const shadowed = `${META}\nconst agent = (p, o) => o\nreturn agent('x', { schema: { type: 'array', minItems: 5e6 } })`;
    expect(validateScript(shadowed, 'a.workflow.js').errors).toEqual([]);
  });
});
