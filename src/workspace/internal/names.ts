/**
 * Turns agent labels ("fix:src/a.ts", "Review API") into names valid both as one git ref
 * component and as a directory name: lower case, `[a-z0-9._-]`, no `..`, no leading dot or
 * dash, no `.lock` suffix, bounded length.
 */
export const MAX_NAME_LENGTH = 64;

export function sanitiseLabel(label: string): string {
  let name = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/[.-]+$/, '');
  while (name.endsWith('.lock')) name = name.slice(0, -'.lock'.length).replace(/[.-]+$/, '');
  return name === '' ? 'agent' : name;
}

/** Run ids become a ref component too (`dynaflow/<run>/main`); they are checked, not rewritten. */
export function isValidRunId(runId: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(runId);
}

/** Picks `name`, or `name-2`, `name-3`... when taken. */
export function dedupeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${name}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
