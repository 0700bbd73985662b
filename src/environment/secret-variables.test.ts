import { describe, expect, it } from 'vitest';

import { isSecretVariable, scrubEnvironment } from './index.js';

describe('secret variables', () => {
  it('TL-37 scrubs every provider credential and generic secret, by name or by value', () => {
    const secrets = [
      'ANTHROPIC_API_KEY',
      'ANTHROPIC_AUTH_TOKEN',
      'ANTHROPIC_FOUNDRY_API_KEY',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_BEARER_TOKEN_BEDROCK',
      'AWS_PROFILE',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'AZURE_CLIENT_SECRET',
      'AZURE_CLIENT_CERTIFICATE_PASSWORD',
      'AZURE_OPENAI_API_KEY',
      'OPENAI_API_KEY',
      'CLAUDE_CODE_OAUTH_TOKEN',
      'NPM_TOKEN',
      'STRIPE_SECRET',
      'MISTRAL_API_KEY',
      'PGPASSWORD',
      'MYSQL_PWD',
      'SMTP_PASS',
      'SENTRY_DSN',
      'CI_JOB_JWT',
      'DOCKER_CREDS',
      'DB_CONNECTION_STRING',
      'api_key',
    ];
    expect(secrets.filter((name) => !isSecretVariable(name, 'x'))).toEqual([]);
    // A provider prefix is enough: a base URL may carry a tenant or a key in its query.
    expect(isSecretVariable('OPENAI_BASE_URL')).toBe(true);
    expect(isSecretVariable('DATABASE_URL', 'postgres://app:hunter2@db:5432/app')).toBe(true);
    expect(isSecretVariable('https_proxy', 'http://me:pw@proxy:3128')).toBe(true);
    for (const [name, value] of [
      ['PWD', '/work'],
      ['OLDPWD', '/'],
      ['PATH', '/usr/bin'],
      ['LANG', 'C.UTF-8'],
      ['REGISTRY_URL', 'https://registry.npmjs.org/'],
      ['NODE_ENV', 'test'],
    ] as const) {
      expect(isSecretVariable(name, value), name).toBe(false);
    }
  });

  it('scrubEnvironment keeps the rest untouched', () => {
    expect(scrubEnvironment({ HOME: '/home/me', OPENAI_API_KEY: 'sk', EMPTY: undefined, LANG: 'C' })).toEqual(
      {
        HOME: '/home/me',
        LANG: 'C',
      },
    );
  });
});
