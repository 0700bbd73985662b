import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import { createProvider, resolveProviderId } from './registry.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return DynaflowError.isInstance(error) ? error.code : 'not-a-dynaflow-error';
  }
  return undefined;
}

describe('resolveProviderId', () => {
  it('takes --provider, then DYNAFLOW_PROVIDER, then Claude Code switches, then anthropic', () => {
    expect(resolveProviderId('SIM', { DYNAFLOW_PROVIDER: 'anthropic' })).toBe('sim');
    expect(resolveProviderId(undefined, { DYNAFLOW_PROVIDER: 'sim' })).toBe('sim');
    expect(resolveProviderId(undefined, { CLAUDE_CODE_USE_BEDROCK: '1' })).toBe('bedrock');
    expect(resolveProviderId(undefined, { CLAUDE_CODE_USE_VERTEX: 'true' })).toBe('vertex');
    expect(resolveProviderId(undefined, { CLAUDE_CODE_USE_FOUNDRY: '1' })).toBe('foundry');
    expect(resolveProviderId(undefined, { CLAUDE_CODE_USE_BEDROCK: '0' })).toBe('anthropic');
    expect(resolveProviderId('', {})).toBe('anthropic');
  });

  it('rejects an unknown provider name with PROVIDER_UNKNOWN', () => {
    expect(codeOf(() => resolveProviderId('antropic', {}))).toBe('PROVIDER_UNKNOWN');
    expect(codeOf(() => resolveProviderId(undefined, { DYNAFLOW_PROVIDER: 'nope' }))).toBe(
      'PROVIDER_UNKNOWN',
    );
  });
});

describe('createProvider', () => {
  it('fails at once without ANTHROPIC_API_KEY, naming the variable', () => {
    let caught: unknown;
    try {
      createProvider('anthropic', { ANTHROPIC_API_KEY: ' ' });
    } catch (error) {
      caught = error;
    }
    expect(DynaflowError.isInstance(caught) && caught.code).toBe('PROVIDER_CREDENTIALS_MISSING');
    expect(DynaflowError.isInstance(caught) && caught.message).toContain('ANTHROPIC_API_KEY');
  });

  it('refuses unknown and not-yet-supported providers with PROVIDER_UNKNOWN', () => {
    expect(codeOf(() => createProvider('bedrock', {}))).toBe('PROVIDER_UNKNOWN');
    expect(codeOf(() => createProvider('openai', {}))).toBe('PROVIDER_UNKNOWN');
    expect(codeOf(() => createProvider('sim', {}))).toBe('PROVIDER_UNKNOWN');
    expect(codeOf(() => createProvider('mystery', {}))).toBe('PROVIDER_UNKNOWN');
  });

  it('uses ANTHROPIC_BASE_URL and never shows the key in an error', async () => {
    const key = 'sk-ant-registry-SECRET-42';
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          type: 'error',
          error: { type: 'authentication_error', message: `bad ${request.headers.authorization}` },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const provider = createProvider('anthropic', { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: url });
      expect(provider.id).toBe('anthropic');
      const failure = await provider
        .createMessage({
          model: 'claude-haiku-5-5',
          system: [],
          messages: [{ role: 'user', content: 'hi' }],
          tools: [],
          maxTokens: 10,
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(DynaflowError.isInstance(failure) && failure.code).toBe('PROVIDER_CREDENTIALS_MISSING');
      expect(DynaflowError.isInstance(failure) && failure.describe()).not.toContain(key);
      expect(JSON.stringify({ message: (failure as Error).message })).not.toContain(key);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
