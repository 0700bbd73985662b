import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../errors/index.js';
import { parseBoundedArgs } from './index.js';

function errorOf(run: () => unknown): { code?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; message?: string };
  }
  return {};
}

describe('--args bounds', () => {
  it('BD-22 --args nested 3,000 deep is a USAGE error naming --args (exit 2), not a RangeError', () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const error = errorOf(() => parseBoundedArgs(deep));
    expect(error.code).toBe('USAGE');
    expect(exitCodeFor(error)).toBe(2);
    expect(error.message).toContain('--args is nested more than 64 levels');
    // 64 levels are fine.
    expect(parseBoundedArgs(`${'['.repeat(64)}${']'.repeat(64)}`)).toBeInstanceOf(Array);
  });

  it('BD-23 --args over 1 MiB is refused before parsing; plain text still passes as a string', () => {
    const big = JSON.stringify({ data: 'x'.repeat(1024 * 1024) });
    expect(errorOf(() => parseBoundedArgs(big))).toMatchObject({ code: 'USAGE' });
    expect(errorOf(() => parseBoundedArgs(big)).message).toContain('--args is 1,025 KiB');
    expect(parseBoundedArgs('fix the login bug')).toBe('fix the login bug');
    expect(parseBoundedArgs('{"files":["a.ts"]}')).toEqual({ files: ['a.ts'] });
  });
});
