import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import { createProvider, isLoopbackUrl, resolveProviderId } from './registry.js';

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

describe('isLoopbackUrl', () => {
  it('recognises servers on this machine only', () => {
    for (const url of [
      'http://localhost:1234/v1',
      'http://127.0.0.1:8000',
      'http://[::1]:11434/v1',
      'http://0.0.0.0:8080',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(true);
    }
    for (const url of [
      'https://api.openai.com/v1',
      'http://10.0.0.5:8000',
      'http://localhost.example.com',
      'not a url',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(false);
    }
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

  it('refuses unknown providers (and sim, which the runtime builds) with PROVIDER_UNKNOWN', () => {
    expect(codeOf(() => createProvider('sim', {}))).toBe('PROVIDER_UNKNOWN');
    expect(codeOf(() => createProvider('mystery', {}))).toBe('PROVIDER_UNKNOWN');
  });

  it('names only the variables still missing', () => {
    const message = (action: () => unknown): string => {
      try {
        action();
      } catch (error) {
        return DynaflowError.isInstance(error) ? `${error.code}: ${error.message}` : String(error);
      }
      return 'no error';
    };
    const halfKey = message(() =>
      createProvider('bedrock', { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKID' }),
    );
    expect(halfKey).toMatch(/^PROVIDER_CREDENTIALS_MISSING: .*AWS_SECRET_ACCESS_KEY/);
    expect(halfKey).not.toContain('AWS_REGION');
    expect(message(() => createProvider('bedrock', { AWS_PROFILE: 'dev' }))).toMatch(
      /^PROVIDER_CREDENTIALS_MISSING: The bedrock provider needs AWS_REGION, which is not set/,
    );
    expect(message(() => createProvider('vertex', { CLOUD_ML_REGION: 'global' }))).toMatch(
      /needs ANTHROPIC_VERTEX_PROJECT_ID, which/,
    );
    // Foundry needs its endpoint; a key is optional (without one, Entra ID signs in at the first request).
    expect(message(() => createProvider('foundry', { ANTHROPIC_FOUNDRY_API_KEY: 'k' }))).toMatch(
      /needs ANTHROPIC_FOUNDRY_RESOURCE .*or ANTHROPIC_FOUNDRY_BASE_URL, which/,
    );
    expect(createProvider('foundry', { ANTHROPIC_FOUNDRY_RESOURCE: 'r' }).id).toBe('foundry');
    // A remote OpenAI-compatible server needs a key; one on this machine does not.
    expect(
      message(() => createProvider('openai', { OPENAI_BASE_URL: 'https://openrouter.ai/api/v1' })),
    ).toMatch(/needs OPENAI_API_KEY, which/);
    expect(createProvider('openai', { OPENAI_BASE_URL: 'http://localhost:11434/v1' }).id).toBe('openai');
  });

  it('accepts each documented way to give AWS credentials without a request', () => {
    const region = { AWS_REGION: 'us-west-2' };
    for (const credentials of [
      { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' },
      { AWS_PROFILE: 'dev' },
      { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key' },
      { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' },
      { CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1' },
    ]) {
      expect(createProvider('bedrock', { ...region, ...credentials }).id).toBe('bedrock');
    }
    expect(createProvider('vertex', { ANTHROPIC_VERTEX_PROJECT_ID: 'p', CLOUD_ML_REGION: 'global' }).id).toBe(
      'vertex',
    );
  });

  it('resolves models with settings overrides over ANTHROPIC_DEFAULT_*_MODEL over the aliases', () => {
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: 'dev',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'eu.anthropic.claude-opus-4-5-20251101-v1:0',
    };
    const provider = createProvider('bedrock', env, { models: { opus: 'global.anthropic.claude-opus-4-8' } });
    expect(provider.resolveModel('sonnet')).toBe('global.anthropic.claude-sonnet-5-5');
    expect(provider.resolveModel('haiku')).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(provider.resolveModel('opus')).toBe('global.anthropic.claude-opus-4-8');
    expect(codeOf(() => provider.resolveModel('sonet'))).toBe('MODEL_UNKNOWN');
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
