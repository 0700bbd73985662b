import { describe, expect, it } from 'vitest';
import { runWith } from './internal/fake-host.js';

describe('script error size', () => {
  it('BD-24 a 4 MB error message is cut to 64 KiB with a marker saying how much was cut', async () => {
    const error = (await runWith("throw new Error('x'.repeat(4_000_000))").catch((e: unknown) => e)) as {
      code: string;
      message: string;
    };
    expect(error.code).toBe('SCRIPT_THREW');
    expect(error.message.length).toBeLessThan(64 * 1024 + 40);
    expect(error.message.endsWith(`… (${(4_000_000 - 64 * 1024).toLocaleString('en-US')} bytes cut)`)).toBe(
      true,
    );
  });
});
