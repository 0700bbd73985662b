/**
 * Keeps credentials out of the journal. Every text the store writes goes through `redactSecrets`,
 * so a key pasted into a prompt, echoed in an error or printed by `exec` never reaches the disk —
 * nor its base64, hex or reversed forms (`maskKnownSecrets`, src/environment).
 *
 * Replacements use only `[A-Za-z0-9*-]`, so redacting inside JSON text keeps it valid JSON.
 */

import { maskKnownSecrets } from '../environment/index.js';

export { secretValuesFromEnvironment } from '../environment/index.js';

const MASK = '***';

/**
 * Where a credential may begin: not inside a word, or right after a JSON escape such as `\n`
 * (results and options are stored as JSON text, where a key at the start of a line follows one).
 */
const START = String.raw`(?:(?<![A-Za-z0-9_])|(?<=\\[nrtbf]))`;

function shape(source: string, flags = 'g'): RegExp {
  return new RegExp(START + source, flags);
}

/** Characters of a header or variable value; no quotes or backslashes, so JSON stays valid. */
const VALUE = String.raw`[^\s"',;&\\]{6,}`;

/**
 * Shapes of well-known credentials. Each pattern keeps a short recognisable prefix (so a reader
 * can tell which kind of key leaked) and masks the rest.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Anthropic before the generic `sk-` rule, so it keeps its more telling prefix.
  [shape(String.raw`sk-ant-[A-Za-z0-9_-]{8,}`), `sk-ant-${MASK}`],
  [shape(String.raw`sk-[A-Za-z0-9_-]{16,}`), `sk-${MASK}`],
  [shape(String.raw`(?:AKIA|ASIA)[0-9A-Z]{16}\b`), `AKIA${MASK}`],
  [shape(String.raw`AIza[0-9A-Za-z_-]{30,}`), `AIza${MASK}`],
  [shape(String.raw`gh[pousr]_[A-Za-z0-9]{30,}`), `gh_${MASK}`],
  [shape(String.raw`xox[abprs]-[A-Za-z0-9-]{10,}`), `xox-${MASK}`],
  [shape(String.raw`(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}`, 'gi'), `$1$2${MASK}`],
  // Header or field values: `x-api-key: …`, `"api-key": "…"`, `Authorization=…`.
  [
    shape(
      String.raw`((?:x-api-key|api[-_]key|x-goog-api-key|authorization|x-amz-security-token)["']?\s*[:=]\s*["']?)(?!Bearer\b|Basic\b)` +
        VALUE,
      'gi',
    ),
    `$1${MASK}`,
  ],
  // Environment-style assignments of secret-looking variables: `ANTHROPIC_API_KEY=…`.
  [
    shape(
      String.raw`([A-Z0-9_]*(?:API_KEY|SECRET_ACCESS_KEY|SESSION_TOKEN|AUTH_TOKEN|SECRET|PASSWORD)["']?\s*[:=]\s*["']?)` +
        VALUE,
    ),
    `$1${MASK}`,
  ],
];

/**
 * A literal every pattern above needs (case-insensitive, so a superset): a text without any of
 * them skips the nine patterns, whose look-behind start makes each a slow full scan. Keep it in
 * step with PATTERNS.
 */
const ANY_PATTERN_HINT =
  /sk-|akia|asia|aiza|gh[pousr]_|xox[abprs]-|bearer|basic|api[-_]key|authorization|x-amz-security-token|secret|session_token|auth_token|password/i;

/**
 * Masks things that look like API keys and auth headers, plus any of the exact `knownSecrets` and
 * their encodings (base64 at any alignment, hex, reversed; see `maskKnownSecrets`).
 *
 * @example
 * redactSecrets('curl -H "x-api-key: sk-ant-api03-abcdefghijklmnop"')
 * // → 'curl -H "x-api-key: ***"'
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let result = maskKnownSecrets(text, knownSecrets);
  if (!ANY_PATTERN_HINT.test(result)) return result;
  for (const [pattern, replacement] of PATTERNS) {
    // Cheap pre-test: most texts contain no secret at all.
    pattern.lastIndex = 0;
    if (pattern.test(result)) {
      pattern.lastIndex = 0;
      result = result.replace(pattern, replacement);
    }
  }
  return result;
}

/** `redactSecrets` for nullable fields. */
export function redactNullable(text: string | null, knownSecrets: readonly string[] = []): string | null {
  return text === null ? null : redactSecrets(text, knownSecrets);
}
