/**
 * KS-30..: the runtime's side of the secret handoff (the launcher's side runs in the CLI tests,
 * test/key-handoff-*.test.ts).
 */
import { fstatSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import {
  receiveHandedSecrets,
  SECRETS_FD_VARIABLE,
  shouldRelaunch,
  splitSecretEnvironment,
} from './index.js';

/** A descriptor holding `text`, as the pipe would: a file is read the same way. */
function descriptorWith(text: string): number {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'dynaflow-handoff-')), 'secrets');
  writeFileSync(file, text);
  return openSync(file, 'r');
}

function failureOf(run: () => unknown): { code: string; message: string } | undefined {
  try {
    run();
  } catch (error) {
    if (!DynaflowError.isInstance(error)) return { code: 'not a DynaflowError', message: String(error) };
    return { code: error.code, message: error.message };
  }
  return undefined;
}

describe('secret handoff', () => {
  it('KS-30 splits the environment with the scrub classifier; the descriptor variable is neither', () => {
    const { secrets, rest } = splitSecretEnvironment({
      ANTHROPIC_API_KEY: 'sk-ant-x',
      AWS_PROFILE: 'work',
      DATABASE_URL: 'postgres://app:hunter2@db/app',
      HOME: '/home/me',
      [SECRETS_FD_VARIABLE]: '3',
    });
    expect(secrets).toEqual({
      ANTHROPIC_API_KEY: 'sk-ant-x',
      AWS_PROFILE: 'work',
      DATABASE_URL: 'postgres://app:hunter2@db/app',
    });
    expect(rest).toEqual({ HOME: '/home/me' });
  });

  it('KS-31 relaunches only with a secret, and never from the relaunched runtime', () => {
    expect(shouldRelaunch({ HOME: '/home/me', PATH: '/bin' })).toBe(false);
    expect(shouldRelaunch({ HOME: '/home/me', ANTHROPIC_API_KEY: 'sk-ant-x' })).toBe(true);
    expect(shouldRelaunch({ ANTHROPIC_API_KEY: 'sk-ant-x', [SECRETS_FD_VARIABLE]: '3' })).toBe(false);
    // Provider settings and desktop session plumbing are no reason for a second process start…
    expect(
      shouldRelaunch({
        AWS_REGION: 'eu-west-1',
        AWS_CA_BUNDLE: '/etc/ca.pem',
        CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE: '/etc/ca.pem',
        DYNAFLOW_PROVIDER: 'sim',
        SSH_AUTH_SOCK: '/run/user/1000/ssh',
        XDG_SESSION_ID: '2',
      }),
    ).toBe(false);
    // …but any credential is, by name or by value.
    expect(shouldRelaunch({ AWS_BEARER_TOKEN_BEDROCK: 'abc' })).toBe(true);
    expect(shouldRelaunch({ DATABASE_URL: 'postgres://app:hunter2@db/app' })).toBe(true);
  });

  it('KS-32 assigns the handed secrets, removes the variable and closes the descriptor', () => {
    const fd = descriptorWith(JSON.stringify({ ANTHROPIC_API_KEY: 'sk-ant-handed', AWS_PROFILE: 'work' }));
    const environment: NodeJS.ProcessEnv = { HOME: '/home/me', [SECRETS_FD_VARIABLE]: String(fd) };
    expect(receiveHandedSecrets(environment)).toBe(true);
    expect(environment).toEqual({
      HOME: '/home/me',
      ANTHROPIC_API_KEY: 'sk-ant-handed',
      AWS_PROFILE: 'work',
    });
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });

  it('KS-33 does nothing without the variable', () => {
    const environment: NodeJS.ProcessEnv = { HOME: '/home/me' };
    expect(receiveHandedSecrets(environment)).toBe(false);
    expect(environment).toEqual({ HOME: '/home/me' });
  });

  it.each([
    ['not a number', () => 'three'],
    ['a standard stream', () => '1'],
    ['a closed descriptor', () => '987654'],
    ['no JSON on the pipe', () => String(descriptorWith('ANTHROPIC_API_KEY=x'))],
    ['a JSON array', () => String(descriptorWith('["x"]'))],
    ['a non-string value', () => String(descriptorWith('{"ANTHROPIC_API_KEY": 42}'))],
  ])('KS-34 refuses %s with CONFIG_INVALID naming the variable', (_case, variable) => {
    const environment: NodeJS.ProcessEnv = { [SECRETS_FD_VARIABLE]: variable() };
    const failure = failureOf(() => receiveHandedSecrets(environment));
    expect(failure?.code).toBe('CONFIG_INVALID');
    expect(failure?.message).toContain(SECRETS_FD_VARIABLE);
  });
});
