/**
 * A string matching a simple regular expression (the kind JSON Schema `pattern`s usually are:
 * anchored classes, literals, groups, alternation, quantifiers). Always takes the shortest
 * choice allowed, so the result is deterministic; the caller verifies it with a real RegExp and
 * falls back when this tiny generator does not understand the pattern.
 */

const CLASS_SAMPLES: Record<string, string> = { d: '0', w: 'a', s: ' ', D: 'a', W: '-', S: 'a' };

interface Cursor {
  readonly source: string;
  position: number;
}

export function sampleForPattern(pattern: string): string | undefined {
  const cursor: Cursor = { source: pattern, position: 0 };
  try {
    const out = parseAlternation(cursor);
    return cursor.position === pattern.length ? out : undefined;
  } catch {
    return undefined;
  }
}

function parseAlternation(cursor: Cursor): string {
  const first = parseSequence(cursor);
  // Only the first branch is used; skip the others.
  while (cursor.source[cursor.position] === '|') {
    cursor.position += 1;
    parseSequence(cursor);
  }
  return first;
}

function parseSequence(cursor: Cursor): string {
  let out = '';
  while (cursor.position < cursor.source.length) {
    const char = cursor.source[cursor.position]!;
    if (char === '|' || char === ')') break;
    if (char === '^' || char === '$') {
      cursor.position += 1;
      continue;
    }
    const atom = parseAtom(cursor);
    const [min] = parseQuantifier(cursor);
    out += atom.repeat(min);
  }
  return out;
}

function parseAtom(cursor: Cursor): string {
  const char = cursor.source[cursor.position]!;
  cursor.position += 1;
  if (char === '(') {
    if (cursor.source.startsWith('?:', cursor.position)) cursor.position += 2;
    const inner = parseAlternation(cursor);
    if (cursor.source[cursor.position] !== ')') throw new Error('unclosed group');
    cursor.position += 1;
    return inner;
  }
  if (char === '[') return parseClass(cursor);
  if (char === '\\') return parseEscape(cursor);
  if (char === '.') return 'a';
  if ('*+?{'.includes(char)) throw new Error('dangling quantifier');
  return char;
}

function parseEscape(cursor: Cursor): string {
  const next = cursor.source[cursor.position];
  if (next === undefined) throw new Error('dangling escape');
  cursor.position += 1;
  return CLASS_SAMPLES[next] ?? next;
}

function parseClass(cursor: Cursor): string {
  const negated = cursor.source[cursor.position] === '^';
  if (negated) cursor.position += 1;
  let first: string | undefined;
  while (cursor.position < cursor.source.length && cursor.source[cursor.position] !== ']') {
    let char = cursor.source[cursor.position]!;
    cursor.position += 1;
    if (char === '\\') char = parseEscape(cursor);
    first ??= char;
  }
  if (cursor.source[cursor.position] !== ']') throw new Error('unclosed class');
  cursor.position += 1;
  if (negated) return first === 'a' ? 'b' : 'a';
  if (first === undefined) throw new Error('empty class');
  return first;
}

/** Returns [min, max]; no quantifier = [1, 1]. */
function parseQuantifier(cursor: Cursor): [number, number] {
  const char = cursor.source[cursor.position];
  let range: [number, number] = [1, 1];
  if (char === '*') range = [0, Infinity];
  else if (char === '+') range = [1, Infinity];
  else if (char === '?') range = [0, 1];
  else if (char === '{') {
    const close = cursor.source.indexOf('}', cursor.position);
    const match = /^\{(\d+)(,(\d*))?\}$/.exec(cursor.source.slice(cursor.position, close + 1));
    if (!match) throw new Error('bad quantifier');
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    cursor.position = close + 1;
    skipLazy(cursor);
    return [min, max];
  } else return range;
  cursor.position += 1;
  skipLazy(cursor);
  return range;
}

function skipLazy(cursor: Cursor): void {
  if (cursor.source[cursor.position] === '?') cursor.position += 1;
}
