/**
 * The environment a child process gets: the parent's, minus anything that looks like a
 * credential. An agent must not be able to read the keys dynaflow itself uses to call models
 * (or the user's cloud credentials) with `env` or `echo $X`, nor through a command it plants for
 * the runtime's git to run.
 *
 * Matching is by name (generous: a harmless variable dropped costs little, a key kept leaks it)
 * and by value: a URL carrying a password (`postgres://user:pass@db`, an authenticated proxy) is
 * a credential whatever its variable is called.
 */
const SECRET_NAME =
  /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|CREDS|AUTH|COOKIE|PRIVATE|SESSION|BEARER|JWT|CONNECTION_STRING|(^|_)(PASS|PWD|DSN)$/i;
const PROVIDER_PREFIX =
  /^(AWS|ANTHROPIC|OPENAI|GOOGLE|GCLOUD|GCP|CLOUDSDK|CLOUD_ML|AZURE|VERTEX|BEDROCK|FOUNDRY|CLAUDE|DYNAFLOW|GITHUB|GH|GITLAB|HF|HUGGING_FACE|HUGGINGFACE)_/i;
/** `scheme://user:password@` anywhere in the value. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;

/**
 * @example
 * isSecretVariable('AWS_SESSION_TOKEN');                               // true
 * isSecretVariable('DATABASE_URL', 'postgres://app:hunter2@db/app');   // true
 * isSecretVariable('HOME', '/home/me');                                // false
 */
export function isSecretVariable(name: string, value?: string): boolean {
  if (name === 'PWD' || name === 'OLDPWD') return false;
  return SECRET_NAME.test(name) || PROVIDER_PREFIX.test(name) || URL_WITH_PASSWORD.test(value ?? '');
}

/**
 * Session plumbing every desktop sets, named like credentials but holding none: a socket path,
 * an id, a bus address.
 */
const SESSION_PLUMBING =
  /^(SSH_AUTH_SOCK|XDG_SESSION_\w+|DBUS_SESSION_BUS_ADDRESS|SESSION_MANAGER|XAUTHORITY)$/;

/**
 * Narrower than `isSecretVariable`: a variable that holds a credential by its name or value, not
 * merely a variable of a provider (`AWS_REGION`, `AWS_CA_BUNDLE`, `DYNAFLOW_PROVIDER`). Deciding
 * whether the launcher hands keys over a pipe (an extra process start) needs this one; the scrub
 * of children stays generous.
 *
 * @example
 * holdsCredential('AWS_BEARER_TOKEN_BEDROCK');  // true
 * holdsCredential('AWS_CA_BUNDLE');             // false
 */
export function holdsCredential(name: string, value?: string): boolean {
  if (name === 'PWD' || name === 'OLDPWD' || SESSION_PLUMBING.test(name)) return false;
  return SECRET_NAME.test(name) || URL_WITH_PASSWORD.test(value ?? '');
}

/**
 * @example
 * spawn('bash', ['-c', command], { env: scrubEnvironment(process.env) });
 */
export function scrubEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const scrubbed: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && !isSecretVariable(name, value)) scrubbed[name] = value;
  }
  return scrubbed;
}
