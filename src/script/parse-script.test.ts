import { describe, expect, it } from 'vitest';
import { DynaflowError } from '../errors/index.js';
import { parseScript, validateScript } from './index.js';

const META =
  "export const meta = { name: 'triage', description: 'Classify failures', phases: [{ title: 'Fix' }] }";

function thrown(action: () => unknown): DynaflowError {
  try {
    action();
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('parseScript', () => {
  it('returns meta, a sha256 of the text and a runnable with identical positions', () => {
    const text = `${META}\nconst x = await agent('hi')\nreturn x`;
    const script = parseScript(text, 'triage.workflow.js');
    expect(script.meta).toEqual({
      name: 'triage',
      description: 'Classify failures',
      phases: [{ title: 'Fix' }],
    });
    expect(script.language).toBe('js');
    expect(script.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(script.runnable.length).toBe(text.length);
    expect(script.runnable.startsWith('       const meta')).toBe(true);
    expect(script.runnable.split('\n').slice(1)).toEqual(text.split('\n').slice(1));
    expect(script.warnings).toEqual([]);
  });

  it('different text gives a different hash, same text the same', () => {
    const a = parseScript(`${META}\nreturn 1`, 'a.js');
    const b = parseScript(`${META}\nreturn 2`, 'a.js');
    expect(a.hash).not.toBe(b.hash);
    expect(parseScript(`${META}\nreturn 1`, 'b.js').hash).toBe(a.hash);
  });

  it('reports a syntax error at file:line:col (1-based column)', () => {
    const error = thrown(() => parseScript(`${META}\nconst a = 1\nconst b = ;\n`, 'bad.workflow.js'));
    expect(error.code).toBe('SCRIPT_SYNTAX');
    expect(error.location).toEqual({ file: 'bad.workflow.js', line: 3, column: 11 });
    expect(error.describe()).toMatch(/^bad\.workflow\.js:3:11 /);
  });

  it('accepts top-level await and return', () => {
    expect(() =>
      parseScript(`${META}\nawait agent('x')\nif (args) return 1\nreturn 2`, 'a.js'),
    ).not.toThrow();
  });

  it('strips TypeScript keeping positions, and locates TS syntax errors', () => {
    const text = `${META}\ninterface R { ok: boolean }\nconst r: R = (await agent('x', { schema: {} })) as R\nreturn r`;
    const script = parseScript(text, 'typed.workflow.ts');
    expect(script.language).toBe('ts');
    expect(script.runnable.length).toBe(text.length);
    expect(script.runnable).not.toContain('interface');
    expect(script.runnable.split('\n').length).toBe(text.split('\n').length);
    const error = thrown(() => parseScript(`${META}\nconst x: = 1`, 'bad.ts'));
    expect(error.code).toBe('SCRIPT_SYNTAX');
    expect(error.location).toMatchObject({ line: 2, column: 10 });
    expect(thrown(() => parseScript(`${META}\nenum A { B }`, 'enum.ts')).code).toBe('SCRIPT_SYNTAX');
  });

  it('rejects scripts over 512 KiB with SCRIPT_TOO_LARGE', () => {
    const text = `${META}\n// ${'x'.repeat(512 * 1024)}`;
    expect(thrown(() => parseScript(text, 'big.js')).code).toBe('SCRIPT_TOO_LARGE');
  });

  it('rejects imports, pointing at them', () => {
    const error = thrown(() => parseScript(`${META}\nimport fs from 'node:fs'\nreturn 1`, 'imp.js'));
    expect(error.code).toBe('SCRIPT_SYNTAX');
    expect(error.location).toMatchObject({ line: 2, column: 1 });
  });

  it('rejects any export other than meta', () => {
    const error = thrown(() => parseScript(`${META}\nexport const other = 1`, 'exp.js'));
    expect(error.location).toMatchObject({ line: 2, column: 1 });
  });
});

describe('meta checks', () => {
  const metaErrors = (metaText: string): Array<{ line: number; column: number; code: string }> =>
    validateScript(`${metaText}\nreturn 1`, 'm.js').errors.map(({ line, column, code }) => ({
      line,
      column,
      code,
    }));

  it('requires meta as the first statement', () => {
    expect(metaErrors("const x = 1\nexport const meta = { name: 'a', description: 'b' }")[0]).toMatchObject({
      code: 'SCRIPT_SYNTAX',
    });
    expect(validateScript('return 1', 'm.js').errors[0]).toMatchObject({
      code: 'SCRIPT_META',
      line: 1,
      column: 1,
    });
  });

  it('requires a pure literal, pointing at the offending node', () => {
    expect(metaErrors("export const meta = { name: NAME, description: 'b' }")).toEqual([
      { line: 1, column: 29, code: 'SCRIPT_META' },
    ]);
    expect(metaErrors("export const meta = { name: 'a', description: `d ${1}` }")[0]).toMatchObject({
      column: 47,
    });
    expect(metaErrors("export const meta = { ...base, name: 'a', description: 'b' }")[0]).toMatchObject({
      column: 23,
    });
    expect(metaErrors("export const meta = { ['name']: 'a', description: 'b' }")[0]).toMatchObject({
      column: 23,
    });
    expect(metaErrors("export const meta = { name: String('a'), description: 'b' }")[0]).toMatchObject({
      column: 29,
    });
  });

  it('checks name, description, whenToUse, phases and inputSchema', () => {
    expect(metaErrors("export const meta = { description: 'b' }")).toHaveLength(1);
    expect(metaErrors("export const meta = { name: '', description: 'b' }")[0]).toMatchObject({ column: 29 });
    expect(metaErrors("export const meta = { name: 'a', description: 'b', whenToUse: 3 }")).toHaveLength(1);
    expect(
      metaErrors("export const meta = { name: 'a', description: 'b', phases: [{ detail: 'x' }] }"),
    ).toHaveLength(1);
    expect(
      metaErrors("export const meta = { name: 'a', description: 'b', phases: [{ title: 'A', model: 1 }] }"),
    ).toHaveLength(1);
    expect(metaErrors("export const meta = { name: 'a', description: 'b', phases: 'A' }")).toHaveLength(1);
    expect(
      metaErrors("export const meta = { name: 'a', description: 'b', inputSchema: { type: 'nonsense' } }"),
    ).toHaveLength(1);
    expect(metaErrors("export const meta = { name: 'a', description: 'b', inputSchema: [] }")).toHaveLength(
      1,
    );
    expect(
      metaErrors(
        "export const meta = { name: 'a', description: 'b', whenToUse: 'w', phases: [{ title: 'A', detail: 'd', model: 'haiku' }], inputSchema: { type: 'object' } }",
      ),
    ).toEqual([]);
  });

  it('parseScript throws SCRIPT_META with the location of the first problem', () => {
    const error = thrown(() =>
      parseScript("export const meta = { name: 'a', description: 42 }\nreturn 1", 'm.js'),
    );
    expect(error.code).toBe('SCRIPT_META');
    expect(error.location).toEqual({ file: 'm.js', line: 1, column: 47 });
  });

  it('validateScript never throws, even for garbage', () => {
    expect(validateScript('}{', 'x.js').errors[0]?.code).toBe('SCRIPT_SYNTAX');
    expect(validateScript('', 'x.js').errors[0]?.code).toBe('SCRIPT_META');
    expect(validateScript('const x: = 1', 'x.ts').errors[0]?.code).toBe('SCRIPT_SYNTAX');
  });
});
