import { describe, expect, it } from 'vitest';
import { redactSecrets, secretValuesFromEnvironment } from './index.js';

describe('redactSecrets', () => {
  it.each([
    ['an Anthropic key', 'key sk-ant-api03-Abc_def-0123456789xyz end', 'sk-ant-api03-Abc_def-0123456789xyz'],
    ['an OpenAI key', 'OPENAI sk-proj-AbCdEfGhIjKlMnOpQrStUv', 'sk-proj-AbCdEfGhIjKlMnOpQrStUv'],
    ['an AWS access key id', 'id AKIAIOSFODNN7EXAMPLE here', 'AKIAIOSFODNN7EXAMPLE'],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'eyJhbGciOiJIUzI1NiJ9'],
    ['an x-api-key header', 'curl -H "x-api-key: 0123456789abcdef" https://x', '0123456789abcdef'],
    ['an env assignment', 'ANTHROPIC_API_KEY=plainvalue123 npm test', 'plainvalue123'],
    ['an AWS secret', 'AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG', 'wJalrXUtnFEMI/K7MDENG'],
    [
      'a GitHub token',
      'token ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ],
    // One per literal of the cheap pre-test, so a pattern it misses fails here.
    ['a Google API key', 'key=AIzaSyA1234567890abcdefghijklmnopqrstu', 'SyA1234567890abcdefghijklmnopqrstu'],
    ['a Slack token', 'slack xoxb-1234567890-abcdefghij', '1234567890-abcdefghij'],
    ['basic auth', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
    ['a lower-case bearer', 'authorization: bearer abcdefgh12345678', 'abcdefgh12345678'],
    ['an x-goog-api-key header', 'x-goog-api-key: goog0123456789', 'goog0123456789'],
    ['an AWS session token header', '"x-amz-security-token": "FwoGZXIvYXdzEJr"', 'FwoGZXIvYXdzEJr'],
    ['a session token variable', 'AWS_SESSION_TOKEN=FQoGZXIvYXdzEXAMPLE', 'FQoGZXIvYXdzEXAMPLE'],
    ['an auth token variable', 'GITHUB_AUTH_TOKEN=abcdef123456', 'abcdef123456'],
    ['a password variable', 'DB_PASSWORD: hunter2hunter2', 'hunter2hunter2'],
    ['a secret variable', 'CLIENT_SECRET=s3cr3tvalue99', 's3cr3tvalue99'],
  ])('masks %s', (_kind, text, secret) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain('***');
  });

  it('leaves ordinary text alone', () => {
    const text =
      'Fix the failing test in src/sk-utils.ts: tokens used 1200, see task-123 and the bearer of news.';
    expect(redactSecrets(text)).toBe(text);
  });

  it('keeps JSON valid when masking inside it', () => {
    const json = JSON.stringify({
      headers: { 'x-api-key': 'sk-ant-api03-SECRETSECRETSECRET', authorization: 'Bearer abcdefghijklmnop' },
      note: 'api_key="quoted\\"value123"',
    });
    const redacted = redactSecrets(json);
    expect(redacted).not.toContain('SECRETSECRETSECRET');
    expect(redacted).not.toContain('abcdefghijklmnop');
    expect(() => JSON.parse(redacted) as unknown).not.toThrow();
  });

  it('masks a key at the start of a line inside JSON text (after a \\n escape)', () => {
    const json = JSON.stringify({
      text: 'line one\nsk-ant-api03-ZXCVBNMasdfghjkl\nANTHROPIC_API_KEY=abcdefgh1',
    });
    const redacted = redactSecrets(json);
    expect(redacted).not.toContain('ZXCVBNM');
    expect(redacted).not.toContain('abcdefgh1');
    expect(JSON.parse(redacted)).toEqual({ text: 'line one\nsk-ant-***\nANTHROPIC_API_KEY=***' });
  });

  it('masks exact known secret values of any shape', () => {
    expect(redactSecrets('the key is zz-custom-42-key!', ['zz-custom-42-key!'])).toBe('the key is ***');
  });

  it('collects the values of secret-looking environment variables only', () => {
    const values = secretValuesFromEnvironment({
      ANTHROPIC_API_KEY: 'test-key-for-sim-0001',
      AWS_SESSION_TOKEN: 'session-token-value',
      HOME: '/home/someone-long-enough',
      GITHUB_TOKEN: 'short',
    });
    expect(values.sort()).toEqual(['session-token-value', 'test-key-for-sim-0001']);
  });

  it('KS-10 masks the base64, hex and reversed forms of a known secret, and keeps JSON valid', () => {
    const key = 'zz-custom-gateway-key-42';
    const dump = Buffer.from(`PATH=/bin\0GATEWAY_KEY=${key}\0HOME=/root\0`).toString('base64');
    const result = JSON.stringify({
      stdout: `${dump}\n${Buffer.from(key).toString('hex')}\n${[...key].reverse().join('')}\n`,
    });
    const redacted = redactSecrets(result, [key]);
    const { stdout } = JSON.parse(redacted) as { stdout: string };
    expect(stdout.split('\n').slice(1, 3)).toEqual(['***', '***']);
    expect(
      Buffer.from(stdout.split('\n')[0]?.replaceAll('*', '') ?? '', 'base64').toString('latin1'),
    ).not.toContain('gateway-key');
  });
});
