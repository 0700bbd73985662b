/**
 * An error's text is whatever a script threw or a provider answered: a 60 MB message was once
 * journaled whole. The journal keeps its first 64 KiB — where the cause is — and says how much
 * was cut. (Results are JSON and are never cut; the script's memory limit bounds them.)
 */
export const JOURNALED_ERROR_LIMIT = 64 * 1024;

/**
 * @example
 * capErrorText('x'.repeat(100_000)).endsWith('… (34,464 characters cut)') // true
 */
export function capErrorText(text: string, limit: number = JOURNALED_ERROR_LIMIT): string {
  if (text.length <= limit) return text;
  const cut = text.length - limit;
  return `${text.slice(0, limit)}… (${cut.toLocaleString('en-US')} characters cut)`;
}
