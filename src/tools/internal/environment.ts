/**
 * The environment an agent's shell gets: the parent's, minus anything that looks like a
 * credential. An agent must not be able to read the keys dynaflow itself uses to call models
 * (or the user's cloud credentials) with `env` or `echo $X`.
 */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|COOKIE|PRIVATE|SESSION/i;
const PROVIDER_PREFIX =
  /^(AWS|ANTHROPIC|OPENAI|GOOGLE|GCLOUD|GCP|CLOUDSDK|CLOUD_ML|AZURE|VERTEX|BEDROCK|FOUNDRY|CLAUDE|DYNAFLOW|GITHUB|GH|GITLAB|HF|HUGGING_FACE|HUGGINGFACE)_/i;

export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name) || PROVIDER_PREFIX.test(name);
}

export function scrubEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const scrubbed: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && !isSecretVariable(name)) scrubbed[name] = value;
  }
  return scrubbed;
}
