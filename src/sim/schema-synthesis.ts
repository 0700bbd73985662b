/**
 * Synthesises a small, deterministic value that satisfies a JSON Schema: the simulator's answer
 * to a forced tool call, and the planner's stand-in for an agent's structured result.
 *
 * Supported: `type` (also lists, `null` last), `const`, `enum`, `properties`/`required`,
 * `additionalProperties`, `minProperties`/`maxProperties`, `items`/`prefixItems`,
 * `minItems`/`maxItems`, `uniqueItems`, `contains`, number bounds (inclusive and exclusive, draft-4
 * boolean form too), `multipleOf`, `minLength`/`maxLength`, simple `pattern`s, common `format`s,
 * `anyOf`/`oneOf` (first non-null branch), `allOf` (merged), local `$ref`s (`#/$defs/…`).
 * Anything else is best effort: the result is not validated here.
 */
import { sampleForPattern } from './internal/pattern-sample.js';

type Schema = Record<string, unknown>;

interface Walk {
  readonly root: unknown;
  readonly depth: number;
  readonly key: string | undefined;
  readonly variant: number;
}

/** Optional properties are filled in only near the root, so recursive schemas stay small. */
const OPTIONAL_PROPERTY_DEPTH = 3;
const MAX_DEPTH = 16;
const CACHE_LIMIT = 2000;

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2025-01-01T00:00:00Z',
  date: '2025-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  email: 'agent@example.com',
  'idn-email': 'agent@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  iri: 'https://example.com/',
  'uri-reference': '/example',
  'iri-reference': '/example',
  'uri-template': 'https://example.com/{id}',
  'json-pointer': '/example',
  'relative-json-pointer': '0',
  regex: '.*',
};

const cacheByIdentity = new WeakMap<object, unknown>();
const cacheByText = new Map<string, unknown>();

/**
 * A fresh value satisfying `schema` (the same value every time for the same schema).
 *
 * @example
 * synthesiseFromSchema({ type: 'object', required: ['fixed'], properties: { fixed: { type: 'boolean' } } })
 * // → { fixed: true }
 */
export function synthesiseFromSchema(schema: unknown): unknown {
  return structuredClone(synthesiseShared(schema));
}

/**
 * Like {@link synthesiseFromSchema} but returns the cached value itself: callers must not mutate
 * it. This is the hot path of the simulator (schemas arrive as fresh JSON on every request, so the
 * cache is keyed by their text as well as by identity).
 */
export function synthesiseShared(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return synthesise(schema, rootWalk(schema));
  const known = cacheByIdentity.get(schema);
  if (known !== undefined || cacheByIdentity.has(schema)) return known;
  const text = JSON.stringify(schema);
  let value = cacheByText.get(text);
  if (value === undefined && !cacheByText.has(text)) {
    value = synthesise(schema, rootWalk(schema));
    if (cacheByText.size >= CACHE_LIMIT) cacheByText.clear();
    cacheByText.set(text, value);
  }
  cacheByIdentity.set(schema, value);
  return value;
}

function rootWalk(root: unknown): Walk {
  return { root, depth: 0, key: undefined, variant: 0 };
}

function synthesise(input: unknown, walk: Walk): unknown {
  if (input === false) return null;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return sampleString({}, walk);
  if (walk.depth > MAX_DEPTH) return null;
  const schema = resolveShape(input as Schema, walk);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return schema.enum[walk.variant % schema.enum.length];
  switch (chooseType(schema)) {
    case 'null':
      return null;
    case 'boolean':
      return walk.variant % 2 === 0;
    case 'integer':
      return sampleNumber(schema, true, walk.variant);
    case 'number':
      return sampleNumber(schema, false, walk.variant);
    case 'array':
      return sampleArray(schema, walk);
    case 'object':
      return sampleObject(schema, walk);
    default:
      return sampleString(schema, walk);
  }
}

/** Follows `$ref`, merges `allOf`, picks the first usable `anyOf`/`oneOf` branch. */
function resolveShape(schema: Schema, walk: Walk, hops = 0): Schema {
  if (hops > MAX_DEPTH) return schema;
  if (typeof schema.$ref === 'string') {
    const target = resolvePointer(walk.root, schema.$ref);
    const { $ref: _ref, ...siblings } = schema;
    return resolveShape(mergeSchemas(isSchema(target) ? target : {}, siblings), walk, hops + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...siblings } = schema;
    let merged: Schema = siblings;
    for (const part of allOf as unknown[]) {
      if (isSchema(part)) merged = mergeSchemas(merged, resolveShape(part, walk, hops + 1));
    }
    return resolveShape(merged, walk, hops + 1);
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const usable = branches.filter(isSchema);
    const branch = usable.find((candidate) => !isNullOnly(candidate, walk.root)) ?? usable[0] ?? {};
    const { [keyword]: _branches, ...siblings } = schema;
    return resolveShape(mergeSchemas(siblings, branch), walk, hops + 1);
  }
  return schema;
}

function isNullOnly(schema: Schema, root: unknown): boolean {
  const target = typeof schema.$ref === 'string' ? resolvePointer(root, schema.$ref) : schema;
  return isSchema(target) && (target.type === 'null' || (target.const === null && 'const' in target));
}

function mergeSchemas(base: Schema, extra: Schema): Schema {
  const merged: Schema = { ...base, ...extra };
  if (isSchema(base.properties) && isSchema(extra.properties)) {
    merged.properties = { ...base.properties, ...extra.properties };
  }
  if (Array.isArray(base.required) && Array.isArray(extra.required)) {
    merged.required = [...new Set([...(base.required as unknown[]), ...(extra.required as unknown[])])];
  }
  return merged;
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node = root;
  for (const rawPart of ref.slice(1).split('/').slice(1)) {
    const part = decodeURIComponent(rawPart).replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function chooseType(schema: Schema): string {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const named = type.filter((entry): entry is string => typeof entry === 'string');
    return named.find((entry) => entry !== 'null') ?? named[0] ?? 'string';
  }
  if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema) return 'array';
  if ('minimum' in schema || 'maximum' in schema || 'exclusiveMinimum' in schema || 'multipleOf' in schema) {
    return 'number';
  }
  return 'string';
}

function sampleObject(schema: Schema, walk: Walk): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === 'string') : [],
  );
  const extraSchema = schema.additionalProperties;
  const out: Record<string, unknown> = {};
  const child = (key: string, variant = 0): Walk => ({
    root: walk.root,
    depth: walk.depth + 1,
    key,
    variant,
  });
  for (const [key, propertySchema] of Object.entries(properties)) {
    if (required.has(key) || walk.depth < OPTIONAL_PROPERTY_DEPTH)
      out[key] = synthesise(propertySchema, child(key));
  }
  for (const key of required) {
    if (!(key in out)) out[key] = synthesise(isSchema(extraSchema) ? extraSchema : true, child(key));
  }
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  for (let index = 1; Object.keys(out).length < minProperties && extraSchema !== false; index++) {
    out[`key${index}`] = synthesise(isSchema(extraSchema) ? extraSchema : true, child(`key${index}`, index));
  }
  const maxProperties = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;
  for (const key of Object.keys(out)) {
    if (Object.keys(out).length <= maxProperties) break;
    if (!required.has(key)) delete out[key];
  }
  return out;
}

function sampleArray(schema: Schema, walk: Walk): unknown[] {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  // One item by default reads like a real answer; deep inside a recursive schema only the minimum.
  const wanted = walk.depth >= OPTIONAL_PROPERTY_DEPTH ? minItems : Math.max(minItems, 1);
  const count = Math.min(wanted, maxItems);
  const tuple = Array.isArray(schema.prefixItems)
    ? (schema.prefixItems as unknown[])
    : Array.isArray(schema.items)
      ? (schema.items as unknown[])
      : [];
  const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < count; index++) {
    const itemSchema =
      index === 0 && isSchema(schema.contains) ? schema.contains : (tuple[index] ?? rest ?? true);
    let item: unknown;
    // uniqueItems: try a few variants before accepting a duplicate (best effort).
    for (let variant = index; variant < index + 8; variant++) {
      item = synthesise(itemSchema, { root: walk.root, depth: walk.depth + 1, key: walk.key, variant });
      if (schema.uniqueItems !== true || !seen.has(JSON.stringify(item))) break;
    }
    seen.add(JSON.stringify(item));
    out.push(item);
  }
  return out;
}

function sampleString(schema: Schema, walk: Walk): string {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const suffix = walk.variant > 0 ? ` ${walk.variant + 1}` : '';
  let text = `sample${walk.key === undefined ? '' : ` ${walk.key}`}${suffix}`;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  if (format === 'uuid') {
    text = `00000000-0000-4000-8000-${String(walk.variant).padStart(12, '0')}`;
  } else if (format !== undefined && FORMAT_SAMPLES[format] !== undefined) {
    text = FORMAT_SAMPLES[format];
  }
  if (typeof schema.pattern === 'string') text = matchPattern(schema.pattern, text, walk.variant) ?? text;
  if (text.length < minLength) text = text.padEnd(minLength, 'x');
  if (text.length > maxLength) text = text.slice(0, maxLength);
  return text;
}

function matchPattern(pattern: string, preferred: string, variant: number): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const generated = sampleForPattern(pattern);
  const candidates = [preferred, generated, `${generated ?? ''}${variant || ''}`, 'a', 'A', '0', 'abc', 'a1'];
  return candidates.find((candidate) => candidate !== undefined && regex.test(candidate));
}

function sampleNumber(schema: Schema, integer: boolean, variant: number): number {
  let low = -Infinity;
  let high = Infinity;
  let lowExclusive = false;
  let highExclusive = false;
  if (typeof schema.minimum === 'number') low = schema.minimum;
  if (typeof schema.maximum === 'number') high = schema.maximum;
  if (schema.exclusiveMinimum === true) lowExclusive = true;
  if (schema.exclusiveMaximum === true) highExclusive = true;
  if (typeof schema.exclusiveMinimum === 'number' && schema.exclusiveMinimum >= low) {
    low = schema.exclusiveMinimum;
    lowExclusive = true;
  }
  if (typeof schema.exclusiveMaximum === 'number' && schema.exclusiveMaximum <= high) {
    high = schema.exclusiveMaximum;
    highExclusive = true;
  }
  const multipleOf =
    typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  const step = multipleOf ?? (integer ? 1 : undefined);
  const fits = (value: number): boolean =>
    (lowExclusive ? value > low : value >= low) &&
    (highExclusive ? value < high : value <= high) &&
    (!integer || Number.isInteger(value)) &&
    (multipleOf === undefined || Math.abs(value / multipleOf - Math.round(value / multipleOf)) < 1e-9);
  const candidates: number[] = [variant, 0];
  if (Number.isFinite(low)) {
    if (step === undefined)
      candidates.push(lowExclusive ? (Number.isFinite(high) ? (low + high) / 2 : low + 1) : low);
    else candidates.push(Math.ceil(low / step) * step + variant * step, Math.ceil(low / step) * step + step);
  }
  if (Number.isFinite(high)) {
    if (step === undefined) candidates.push(highExclusive ? high - 1 : high);
    else candidates.push(Math.floor(high / step) * step, Math.floor(high / step) * step - step);
  }
  if (Number.isFinite(low) && Number.isFinite(high)) candidates.push((low + high) / 2);
  return candidates.find(fits) ?? (Number.isFinite(low) ? low : 0);
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
