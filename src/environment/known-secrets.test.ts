/**
 * KS-01..: known secrets are masked in every form a command can print them in.
 */
import { describe, expect, it } from 'vitest';

import { encodedForms, knownSecretMasker, maskKnownSecrets, secretValuesFromEnvironment } from './index.js';

// `?` and `~` make base64 output contain `/` and `+`, so the URL-safe alphabet differs.
const KEY = 'sk-ant-api03-Q7?w~Xk>9zLm_Rt2-Vb8NcYe4Hu6Jp1DfGs3Ka5Wq0Zx';
const OTHER_KEY = 'AKIAOTHERSECRET0123456789';

function reverse(text: string): string {
  return [...text].reverse().join('');
}

/** `base64` wraps its output at 76 columns. */
function wrapAt(text: string, columns: number): string {
  return text.match(new RegExp(`.{1,${columns}}`, 'g'))?.join('\n') ?? '';
}

/** What `tr '\0' '\n' < /proc/…/environ` shows around the key, with a prefix of a given length. */
function environDump(prefix: string): string {
  return `PATH=/usr/bin:/bin\0HOME=/root${prefix}\0ANTHROPIC_API_KEY=${KEY}\0LANG=C.UTF-8\0TERM=xterm\0`;
}

function expectNoKey(masked: string): void {
  expect(masked).not.toContain(KEY);
  // Nothing decodable is left either: no form of the key survives in any encoding.
  for (const form of encodedForms(KEY)) expect(masked).not.toContain(form);
  expect(masked).toContain('***');
}

describe('maskKnownSecrets', () => {
  const base64 = (text: string): string => Buffer.from(text).toString('base64');
  const base64url = (text: string): string => Buffer.from(text).toString('base64url');
  const hex = (text: string): string => Buffer.from(text).toString('hex');

  it.each([
    ['the key itself', `export KEY=${KEY}; done`],
    ['the key reversed (rev)', `out: ${reverse(KEY)}`],
    ['its hex, lower case (xxd -p)', `out: ${hex(KEY)}`],
    ['its hex, upper case', `out: ${hex(KEY).toUpperCase()}`],
    ['its base64', `out: ${base64(KEY)}`],
    ['its URL-safe base64', `out: ${base64url(KEY)}`],
    ['its base64 reversed (base64 | rev)', `out: ${reverse(base64(KEY))}`],
    ['the base64 of the reversed key (rev | base64)', `out: ${base64(reverse(KEY))}`],
  ])('KS-01 masks %s', (_form, text) => {
    expectNoKey(maskKnownSecrets(text, [KEY]));
  });

  it('KS-02 base64 output really uses both alphabets for this key (so KS-01 tests both)', () => {
    expect(base64(KEY)).toMatch(/[+/]/);
    expect(base64(KEY)).not.toBe(base64url(KEY));
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'KS-03 masks the key inside a longer base64 text (base64 -w0 of an environ dump, prefix +%i bytes)',
    (extra) => {
      const dump = base64(environDump('x'.repeat(extra)));
      expectNoKey(maskKnownSecrets(dump, [KEY]));
      expectNoKey(maskKnownSecrets(base64url(environDump('x'.repeat(extra))), [KEY]));
      expectNoKey(maskKnownSecrets(reverse(dump), [KEY]));
      // What is left decodes to no part of the key longer than the few characters at its edges.
      const decoded = Buffer.from(maskKnownSecrets(dump, [KEY]).replaceAll('*', ''), 'base64').toString(
        'latin1',
      );
      expect(decoded).not.toContain(KEY.slice(3, -3));
    },
  );

  it.each([0, 1, 2])(
    'KS-04 masks base64 wrapped at 76 columns (plain and inside JSON), prefix +%i',
    (extra) => {
      const wrapped = wrapAt(base64(environDump('y'.repeat(extra)) + environDump('z')), 76);
      expect(wrapped).toContain('\n');
      const masked = maskKnownSecrets(wrapped, [KEY]);
      expectNoKey(masked.replaceAll('\n', ''));
      const json = JSON.stringify({ code: 0, stdout: wrapped, stderr: '' });
      const maskedJson = maskKnownSecrets(json, [KEY]);
      const parsed = JSON.parse(maskedJson) as { stdout: string };
      expectNoKey(parsed.stdout.replaceAll('\n', ''));
    },
  );

  it('KS-05 masks hex wrapped at 60 columns (xxd -p)', () => {
    const wrapped = wrapAt(hex(`some prefix ${KEY} some suffix`), 60);
    expectNoKey(maskKnownSecrets(wrapped, [KEY]).replaceAll('\n', ''));
  });

  it('KS-06 keeps JSON valid and masks every secret of the set', () => {
    const json = JSON.stringify({
      a: base64(environDump('')),
      b: `${hex(OTHER_KEY)} and ${reverse(OTHER_KEY)}`,
      c: 'line\nbreaks "quotes" \\ backslashes',
    });
    const masked = maskKnownSecrets(json, [KEY, OTHER_KEY]);
    const parsed = JSON.parse(masked) as { a: string; b: string; c: string };
    expectNoKey(parsed.a);
    expect(parsed.b).toBe('*** and ***');
    expect(parsed.c).toBe('line\nbreaks "quotes" \\ backslashes');
  });

  it('KS-07 returns a text without any secret unchanged, wrapped base64 included', () => {
    const mask = knownSecretMasker([KEY, OTHER_KEY]);
    const plain = 'Fix the failing test in src/sk-utils.ts; ran `npm test` twice.\nAll good.';
    expect(mask(plain)).toBe(plain);
    const unrelatedBase64 = wrapAt(base64('an unrelated file '.repeat(40)), 76);
    expect(mask(unrelatedBase64)).toBe(unrelatedBase64);
    expect(maskKnownSecrets(plain, [])).toBe(plain);
  });

  it('KS-08 ignores values too short to mask blindly', () => {
    expect(maskKnownSecrets('a short value: abc123', ['abc123'])).toBe('a short value: abc123');
  });
});

describe('secretValuesFromEnvironment', () => {
  it('KS-09 takes the values of key, secret, token and password variables — AWS_SECRET_ACCESS_KEY too', () => {
    const values = secretValuesFromEnvironment({
      ANTHROPIC_API_KEY: KEY,
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY',
      CLAUDE_CODE_OAUTH_TOKEN: 'oauth-token-value-1234',
      AWS_REGION: 'eu-central-1',
      HOME: '/home/someone',
    });
    expect(values.sort()).toEqual([KEY, 'oauth-token-value-1234', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'].sort());
  });
});
