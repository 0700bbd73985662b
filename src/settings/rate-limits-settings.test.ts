import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import { loadSettings, parseSettingsFile } from './index.js';
import { useProjectAndHome } from './internal/test-directories.js';

let project: string;
let home: string;
useProjectAndHome('dynaflow-settings-', (directories) => ({ project, home } = directories));

async function put(root: string, file: string, value: unknown): Promise<void> {
  const full = path.join(root, file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, JSON.stringify(value, null, 2));
}

function failure(text: string): DynaflowError {
  try {
    parseSettingsFile('/p/.dynaflow/settings.json', text);
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('settings rateLimits', () => {
  it('CA-05 reads per-provider limits; the highest file wins per provider', async () => {
    await put(home, '.dynaflow/settings.json', {
      rateLimits: { anthropic: { concurrency: 4, outputTokensPerMinute: 8_000 }, openai: { concurrency: 2 } },
    });
    await put(project, '.dynaflow/settings.json', {
      rateLimits: { anthropic: { inputTokensPerMinute: 400_000 } },
    });
    const settings = await loadSettings(project, home);
    expect(settings.rateLimits).toEqual({
      anthropic: { inputTokensPerMinute: 400_000 },
      openai: { concurrency: 2 },
    });
  });

  it('CA-05 a wrong limit is CONFIG_INVALID naming the file and the line of the offending key', () => {
    const text = [
      '{',
      '  "provider": "anthropic",',
      '  "rateLimits": {',
      '    "anthropic": {',
      '      "concurrency": 4,',
      '      "inputTokensPerMinute": -5',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const error = failure(text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.location).toMatchObject({ file: '/p/.dynaflow/settings.json', line: 6 });

    const unknownKey = failure('{\n  "rateLimits": {\n    "sim": {\n      "rpm": 5\n    }\n  }\n}');
    expect(unknownKey).toMatchObject({ code: 'CONFIG_INVALID', location: { line: 4 } });
    const notObject = failure('{\n  "model": "anthropic",\n  "rateLimits": {\n    "anthropic": 5\n  }\n}');
    expect(notObject).toMatchObject({ code: 'CONFIG_INVALID', location: { line: 4 } });
    expect(failure('{ "rateLimits": [] }').code).toBe('CONFIG_INVALID');
  });
});
