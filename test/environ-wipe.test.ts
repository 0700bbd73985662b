/**
 * KS-40: the launcher's own environment block no longer shows the keys once they are copied
 * (Linux: `/proc/self/mem` at env_start..env_end). In a separate node process — the one whose
 * block is overwritten — through the built dist/environment.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

import { REPO_ROOT } from './helpers/harness.js';

const KEY = 'sk-ant-test-KS40-wipe-me-0123456789';

describe('the launcher zeroes its own copies', () => {
  it('KS-40 /proc/<pid>/environ shows no value of a wiped variable; other variables are untouched', () => {
    const environmentDoor = pathToFileURL(path.join(REPO_ROOT, 'dist/environment/index.js')).href;
    const program = `
      import { readFileSync } from 'node:fs';
      import { wipeOwnEnvironValues } from ${JSON.stringify(environmentDoor)};
      const before = readFileSync('/proc/self/environ', 'latin1');
      const wipe = wipeOwnEnvironValues(['KS40_API_KEY', 'KS40_ABSENT']);
      const after = readFileSync('/proc/self/environ', 'latin1');
      console.log(JSON.stringify({
        wipe,
        before: before.includes(${JSON.stringify(KEY)}),
        after: after.includes(${JSON.stringify(KEY)}),
        kept: after.includes('KS40_KEEP=kept-value'),
        sameLength: before.length === after.length,
      }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', KS40_API_KEY: KEY, KS40_KEEP: 'kept-value' },
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      wipe: { wiped: true, variables: 1 },
      before: true,
      after: false,
      kept: true,
      sameLength: true,
    });
  });
});
