import { describe, expect, it } from 'vitest';
import { validateScript } from './index.js';

const META =
  "export const meta = { name: 'a', description: 'b', phases: [{ title: 'Fix' }, { title: 'Review' }] }";

function warningsOf(body: string): Array<{ code: string; line: number; message: string }> {
  const { errors, warnings } = validateScript(`${META}\n${body}`, 'w.workflow.js');
  expect(errors).toEqual([]);
  return warnings.map(({ code, line, message }) => ({ code, line, message }));
}

describe('unknown globals (scope analysis)', () => {
  it('accepts declared names in every binding form, script globals and standard globals', () => {
    const body = [
      'const { a, b: [c], ...rest } = args ?? {}',
      'let [d = 1, ...e] = [a, c]',
      'function f(p, { q }, ...r) { var v = p + q; return v + r.length + arguments.length }',
      'class K { static s = 1; m(x) { return x } }',
      'try { f(1, {}) } catch ({ message }) { log(message) }',
      'for (const [k, v] of Object.entries(rest)) log(k + v)',
      'for (let i = 0; i < 2; i++) { if (i) { var hoisted = i } }',
      'const g = function named() { return named }',
      'label: for (const x of []) { continue label }',
      'switch (d) { case 1: { const z = 1; log(z) } }',
      'const o = { shorthand: e, [Symbol.iterator]: null }; o.shorthand',
      'log(JSON.stringify({ hoisted, g, K, Math: Math.max(1, 2), p: Promise.resolve(budget.remaining()) }))',
      'await parallel([() => agent("x")]); phase("Fix"); console.log(meta.name, typeof process)',
      'return { e, n: NaN, i: Infinity, u: undefined, gt: globalThis }',
    ].join('\n');
    expect(warningsOf(body)).toEqual([]);
  });

  it('warns once per unknown name, at its first use', () => {
    const warnings = warningsOf(
      'const r = await agnet("x")\nagnet("y")\nlog(resutl)\nfunction f(a) { return a + b }',
    );
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['UNKNOWN_GLOBAL', 2],
      ['UNKNOWN_GLOBAL', 4],
      ['UNKNOWN_GLOBAL', 5],
    ]);
    expect(warnings[0]?.message).toContain('agnet');
  });

  it('a name declared in another function is not visible', () => {
    expect(
      warningsOf('function f() { const inner = 1; return inner }\nreturn inner').map((w) => w.code),
    ).toEqual(['UNKNOWN_GLOBAL']);
  });

  it('assigning an undeclared name is flagged', () => {
    expect(warningsOf('total = 3').map((w) => w.code)).toEqual(['UNKNOWN_GLOBAL']);
  });

  it('names host facilities as unavailable in the sandbox', () => {
    const warnings = warningsOf(
      "const fs = require('fs')\nprocess.exit(1)\nawait fetch('http://x')\nsetTimeout(() => 1, 5)\nawait import('fs')",
    );
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['UNAVAILABLE_GLOBAL', 2],
      ['UNAVAILABLE_GLOBAL', 3],
      ['UNAVAILABLE_GLOBAL', 4],
      ['UNAVAILABLE_GLOBAL', 5],
      ['UNAVAILABLE_GLOBAL', 6],
    ]);
    expect(warnings[0]?.message).toContain('require');
  });
});

describe('obvious mistakes', () => {
  it('parallel() given promises instead of thunks', () => {
    const warnings = warningsOf(
      'await parallel([agent("a"), () => agent("b"), await agent("c")])\nawait parallel(xs.map(x => agent(x)))\nawait parallel(xs.map(x => () => agent(x)))\nconst xs = []',
    );
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['PARALLEL_NOT_THUNK', 2],
      ['PARALLEL_NOT_THUNK', 2],
      ['PARALLEL_NOT_THUNK', 3],
    ]);
  });

  it('phase titles that meta.phases does not declare', () => {
    const warnings = warningsOf(
      'phase("Fix")\nphase("Fixx")\nawait agent("x", { phase: "Revue" })\nawait agent("y", { phase: "Review" })',
    );
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['UNKNOWN_PHASE', 3],
      ['UNKNOWN_PHASE', 4],
    ]);
  });

  it('unknown agent() option keys written as literals', () => {
    const warnings = warningsOf(
      'await agent("x", { label: "a", schema: {}, temprature: 1, "max_turns": 3, ...{ other: 1 } })',
    );
    expect(warnings.map((w) => w.code)).toEqual(['UNKNOWN_AGENT_OPTION', 'UNKNOWN_AGENT_OPTION']);
    expect(warnings[0]?.message).toContain('temprature');
  });

  it('the clock', () => {
    expect(
      warningsOf('const t = Date.now()\nconst d = new Date()\nconst ok = new Date(0)').map((w) => [
        w.code,
        w.line,
      ]),
    ).toEqual([
      ['NONDETERMINISM', 2],
      ['NONDETERMINISM', 3],
    ]);
  });

  it("a shadowed global is the script's own business", () => {
    expect(
      warningsOf(
        'const agent = (x) => x\nconst parallel = (x) => x\nparallel([agent("a")])\nagent("x", { weird: 1 })',
      ),
    ).toEqual([]);
  });
});
