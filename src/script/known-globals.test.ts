import { describe, expect, it } from 'vitest';
import { runInSandbox, type ScriptHost } from '../sandbox/index.js';
import { SCRIPT_GLOBALS, STANDARD_GLOBALS, UNAVAILABLE_GLOBALS } from './internal/known-globals.js';

const idleHost: ScriptHost = {
  agent: () => Promise.resolve(null),
  exec: () => Promise.resolve(null),
  workflow: () => Promise.resolve(null),
  phase: () => undefined,
  log: () => undefined,
  warn: () => undefined,
  budget: () => ({ total: null, spent: 0 }),
};

describe('the validator agrees with the real sandbox', () => {
  it('every global it accepts exists in the VM, and every one it calls unavailable does not', async () => {
    const source = 'return Object.getOwnPropertyNames(globalThis).concat(["undefined"])';
    const names = new Set(
      (await runInSandbox({
        source,
        filename: 'g.js',
        args: undefined,
        seed: 1,
        host: idleHost,
      })) as string[],
    );
    expect([...STANDARD_GLOBALS, ...SCRIPT_GLOBALS].filter((name) => !names.has(name))).toEqual([]);
    expect([...UNAVAILABLE_GLOBALS].filter((name) => names.has(name))).toEqual([]);
  });
});
