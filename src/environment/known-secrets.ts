/**
 * Masks the exact values of known secrets — and the encodings a command can turn them into — in
 * any text before it is journaled or sent to a model.
 *
 * Why encodings: a key read from somewhere a child can still reach (a file, a process's memory)
 * is easily printed as `base64 -w0`, `xxd -p` or `rev`, which no key-shaped pattern recognises.
 * Every form is computed once per set of secrets (`knownSecretMasker`), so masking a text costs
 * one native substring search per form — and a text with no secret comes back unchanged.
 *
 * The forms of each secret: the text itself and reversed; hex (lower and upper case); base64 in
 * the standard and URL-safe alphabets at each of the 3 byte alignments (the key inside a longer
 * base64 text, e.g. `base64 -w0 /proc/…/environ`), those reversed, and the base64 of the reversed
 * key. Base64 or hex wrapped into lines (`base64` wraps at 76 columns, `xxd -p` at 60) is found
 * too: line breaks between the characters of a form are skipped.
 *
 * Replacements are `***` and only ever cover characters of a form (never half of a JSON escape),
 * so masking inside JSON text keeps it valid JSON.
 */

const MASK = '***';

/** Shorter values are too likely to occur by chance in ordinary text to be masked blindly. */
const MIN_SECRET_LENGTH = 8;
/** Encoded forms shorter than this are dropped: they could match by chance. */
const MIN_FORM_LENGTH = 8;

/**
 * Names of variables whose values are credentials whatever their shape (`ANTHROPIC_API_KEY`,
 * `AWS_SECRET_ACCESS_KEY`, `CLAUDE_CODE_OAUTH_TOKEN`, …). Narrower than `isSecretVariable`: these
 * values are masked in every text, so a variable that merely mentions a provider (`AWS_REGION`)
 * must not make its value (`us-east-1`) disappear from logs.
 */
const SECRET_VALUE_NAME = /(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIALS?)$/i;

/**
 * Values with quotes, backslashes or spaces are escaped inside JSON text, so masking them verbatim
 * could cut an escape sequence in half (their shapes are still caught by key patterns).
 */
export function isMaskableSecret(secret: string): boolean {
  return secret.length >= MIN_SECRET_LENGTH && !/["\\\s]/.test(secret);
}

/**
 * The values of credential variables, longest first (so a value containing another is masked whole).
 *
 * @example
 * secretValuesFromEnvironment({ ANTHROPIC_API_KEY: 'sk-ant-…', HOME: '/home/me' }) // ['sk-ant-…']
 */
export function secretValuesFromEnvironment(environment: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(environment)) {
    if (value && SECRET_VALUE_NAME.test(name) && isMaskableSecret(value)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

function reverse(text: string): string {
  return [...text].reverse().join('');
}

/**
 * The part of `base64(bytes)` that is the same wherever `bytes` sits in a longer stream whose
 * offset is `alignment` bytes into a 3-byte group: the characters that mix in a neighbour's bits
 * are cut off at both ends.
 */
function alignedBase64(bytes: Buffer, alignment: 0 | 1 | 2, encoding: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(alignment), bytes]).toString(encoding);
  const mixedAtStart = [0, 2, 3][alignment] ?? 0;
  const completeGroups = Math.floor((alignment + bytes.length) / 3);
  return encoded.slice(mixedAtStart, completeGroups * 4);
}

/** Every form of one secret worth searching for (see the module comment). */
export function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const reversedBytes = Buffer.from(reverse(secret), 'utf8');
  const forms = [secret, reverse(secret), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (const encoding of ['base64', 'base64url'] as const) {
    for (const alignment of [0, 1, 2] as const) {
      const base64 = alignedBase64(bytes, alignment, encoding);
      forms.push(base64, reverse(base64), alignedBase64(reversedBytes, alignment, encoding));
    }
  }
  return forms.filter((form) => form.length >= MIN_FORM_LENGTH);
}

/**
 * A line break between two characters of an encoded form: a real one (`base64`, `xxd -p`), or its
 * JSON escape (the same output inside a journaled result).
 */
const LINE_BREAK = /\r?\n|\\r\\n|\\n/g;
/** Characters before a line break that make a text look like wrapped encoder output. */
const WRAPPED_RUN_LENGTH = 24;

/** `[A-Za-z0-9+/_-]`: the characters of base64 (both alphabets) and hex. */
function isEncodedChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2b ||
    code === 0x2f ||
    code === 0x5f ||
    code === 0x2d
  );
}

/**
 * Whether some line break (real, or `\n` escaped in JSON) has a run of encoded characters before
 * it and another after it. A hand-written scan: the equivalent regex tried its run at every
 * position and cost ~80 ms per MB of source code; this costs one memchr-like search per break kind.
 */
function hasWrappedRun(text: string): boolean {
  for (const lineBreak of ['\n', '\\n']) {
    for (let at = text.indexOf(lineBreak); at !== -1; at = text.indexOf(lineBreak, at + 1)) {
      if (!isEncodedChar(text.charCodeAt(at + lineBreak.length))) continue;
      // `\r\n`, raw or escaped, ends the line too.
      let end = at;
      if (text.charCodeAt(end - 1) === 0x0d) end -= 1;
      else if (lineBreak.length === 2 && text.startsWith('\\r', end - 2)) end -= 2;
      if (end < WRAPPED_RUN_LENGTH) continue;
      let run = 0;
      while (run < WRAPPED_RUN_LENGTH && isEncodedChar(text.charCodeAt(end - 1 - run))) run += 1;
      if (run === WRAPPED_RUN_LENGTH) return true;
    }
  }
  return false;
}

/** Masks every form of a fixed set of secrets. Built once per set: see `knownSecretMasker`. */
class KnownSecretMasker {
  /** Longest first, so a form containing another is masked whole. */
  private readonly forms: readonly string[];

  constructor(secrets: readonly string[]) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (isMaskableSecret(secret)) for (const form of encodedForms(secret)) forms.add(form);
    }
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    if (this.forms.length === 0) return text;
    let result = text;
    for (const form of this.forms) {
      if (result.includes(form)) result = result.split(form).join(MASK);
    }
    return hasWrappedRun(result) ? this.maskAcrossLineBreaks(result) : result;
  }

  /**
   * Finds forms in the text with its line breaks removed, and masks the original span of each hit
   * (breaks inside it included). Only texts that look like wrapped encoder output pay for this.
   */
  private maskAcrossLineBreaks(text: string): string {
    // The common case — wrapped output of something else — costs one native replace and searches.
    const unwrapped = text.replace(LINE_BREAK, '');
    if (!this.forms.some((form) => unwrapped.includes(form))) return text;
    let joined = '';
    const originalIndex: number[] = [];
    let from = 0;
    const appendUpTo = (end: number): void => {
      joined += text.slice(from, end);
      for (let index = from; index < end; index += 1) originalIndex.push(index);
    };
    for (const lineBreak of text.matchAll(LINE_BREAK)) {
      appendUpTo(lineBreak.index);
      from = lineBreak.index + lineBreak[0].length;
    }
    appendUpTo(text.length);

    const spans: [number, number][] = [];
    for (const form of this.forms) {
      for (let hit = joined.indexOf(form); hit !== -1; hit = joined.indexOf(form, hit + form.length)) {
        spans.push([originalIndex[hit] ?? 0, (originalIndex[hit + form.length - 1] ?? 0) + 1]);
      }
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a[0] - b[0]);
    let result = '';
    let kept = 0;
    for (const [start, end] of spans) {
      if (end <= kept) continue;
      result += text.slice(kept, Math.max(start, kept)) + MASK;
      kept = end;
    }
    return result + text.slice(kept);
  }
}

/** Maskers of recent secret sets: the journal and transcripts ask again for the same set. */
const maskers = new Map<string, KnownSecretMasker>();
const MAX_CACHED_MASKERS = 16;

/**
 * A function masking `secrets` and their encodings in a text; the forms are computed once per
 * distinct set.
 *
 * @example
 * const mask = knownSecretMasker(secretValuesFromEnvironment(process.env));
 * mask(toolOutput); // the key, its base64, hex or reversed text → ***
 */
export function knownSecretMasker(secrets: readonly string[]): (text: string) => string {
  const key = secrets.join('\0');
  let masker = maskers.get(key);
  if (masker === undefined) {
    masker = new KnownSecretMasker(secrets);
    if (maskers.size >= MAX_CACHED_MASKERS) maskers.delete(maskers.keys().next().value ?? '');
    maskers.set(key, masker);
  }
  const found = masker;
  return (text) => found.mask(text);
}

/**
 * `knownSecretMasker(secrets)(text)`, for one-off calls.
 *
 * @example
 * maskKnownSecrets(Buffer.from(key).toString('base64'), [key]); // '***'
 */
export function maskKnownSecrets(text: string, secrets: readonly string[]): string {
  return secrets.length === 0 ? text : knownSecretMasker(secrets)(text);
}
