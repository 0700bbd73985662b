/**
 * A stand-in for the Azure CLI, for tests of Foundry's Entra ID sign-in through the Azure SDK's
 * real credential chain: an `az` script that logs its arguments and prints what
 * `az account get-access-token` prints (or fails as it does before `az login`). With
 * `AZURE_TOKEN_CREDENTIALS=AzureCliCredential` the chain tries nothing else, so no probe (managed
 * identity, IMDS) leaves the machine.
 */
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface FakeAzureCli {
  /** Variables that put the fake first on PATH and narrow the chain to it. */
  readonly env: { readonly PATH: string; readonly AZURE_TOKEN_CREDENTIALS: string };
  /** The argument lines `az` was called with, in order. */
  calls(): Promise<string[]>;
}

/**
 * @example
 * const az = await createFakeAzureCli(tmpDir, { token: 'entra-token' });
 * await runCli(['run', 'x.js', '--provider', 'foundry'], { env: { ...az.env, ANTHROPIC_FOUNDRY_BASE_URL: url } });
 */
export async function createFakeAzureCli(
  parent: string,
  answer: { readonly token: string } | { readonly signedIn: false },
): Promise<FakeAzureCli> {
  const bin = await mkdtemp(path.join(parent, 'fake-az-'));
  const log = path.join(bin, 'calls.log');
  const expiresOn = Math.floor(Date.now() / 1000) + 3600;
  const reply =
    'token' in answer
      ? `echo '{"accessToken":"${answer.token}","expires_on":${expiresOn},"tokenType":"Bearer"}'`
      : `echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`;
  await writeFile(path.join(bin, 'az'), `#!/bin/sh\necho "$@" >> '${log}'\n${reply}\n`);
  await chmod(path.join(bin, 'az'), 0o755);
  return {
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    },
    calls: async () => {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text.split('\n').filter((line) => line !== '');
    },
  };
}
