import { DynaflowError } from '../errors/index.js';
import { describe, expect, it } from 'vitest';

import { parseSettingsFile } from './index.js';

const FILE = '/p/.dynaflow/settings.json';

function failure(text: string): DynaflowError {
  try {
    parseSettingsFile(FILE, text);
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('settings prices', () => {
  it('ST-50 reads prices per model id, `*` included', () => {
    const parsed = parseSettingsFile(
      FILE,
      JSON.stringify({
        prices: { '*': { input: 0, output: 0 }, 'local-coder': { input: 1, output: 2, cacheRead: 0.1 } },
      }),
    );
    expect(parsed.prices).toEqual({
      '*': { input: 0, output: 0 },
      'local-coder': { input: 1, output: 2, cacheRead: 0.1 },
    });
  });

  it('ST-51 a price that is negative, unknown, or missing input/output is CONFIG_INVALID at its line', () => {
    const negative = failure('{\n  "prices": {\n    "m": { "input": -1, "output": 2 }\n  }\n}');
    expect(negative.code).toBe('CONFIG_INVALID');
    expect(negative.location?.line).toBe(3);
    expect(negative.message).toContain('prices.m.input');
    expect(failure('{ "prices": { "m": { "input": 1, "output": 2, "perCall": 3 } } }').message).toContain(
      'prices.m.perCall',
    );
    expect(failure('{ "prices": { "m": { "input": 1 } } }').message).toContain('needs at least');
    expect(failure('{ "prices": [1] }').message).toContain('"prices" must map model ids');
  });
});
