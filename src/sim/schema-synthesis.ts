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
 *
 * Bounded: a schema whose smallest instance is over the size budget (`src/script`'s
 * `SCHEMA_BUDGET`, 1 MiB of JSON; nesting over 64 levels) is refused with `SCHEMA_TOO_LARGE` before
 * anything is built, and what is added beyond the minimum (optional properties near the root, one
 * item in an otherwise empty array) is added only while it fits in what remains of that budget.
 */
import { DynaflowError } from '../errors/index.js';
import {
  checkSchemaSize,
  chooseSchemaType,
  isSchemaNode as isSchema,
  minimalInstanceBytes,
  resolveSchemaShape,
  SCHEMA_BUDGET,
  SYNTHESIS_MAX_DEPTH,
  type SchemaNode as Schema,
} from '../script/index.js';
import { sampleForPattern } from './internal/pattern-sample.js';

interface Walk {
  readonly root: unknown;
  readonly depth: number;
  readonly key: string | undefined;
  readonly variant: number;
  /** Characters of JSON still allowed for optional additions, shared by the whole walk. */
  readonly allowance: Allowance;
}

interface Allowance {
  remaining: number;
  /** Set at the first optional addition that did not fit: later ones are not even measured. */
  spent: boolean;
}

/** Optional properties are filled in only near the root, so recursive schemas stay small. */
const OPTIONAL_PROPERTY_DEPTH = 3;
const CACHE_LIMIT = 2000;
/** A property name longer than this is cut in sample strings: item values repeat it. */
const SAMPLE_KEY_CHARS = 24;

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
  if (typeof schema !== 'object' || schema === null) return synthesiseRoot(schema);
  const known = cacheByIdentity.get(schema);
  if (known !== undefined || cacheByIdentity.has(schema)) return unlessRefused(known);
  const text = JSON.stringify(schema);
  let value = cacheByText.get(text);
  if (value === undefined && !cacheByText.has(text)) {
    // A refusal is cached like a value: the same bomb sent again costs one lookup.
    try {
      value = synthesiseRoot(schema);
    } catch (error) {
      if (!DynaflowError.isInstance(error)) throw error;
      value = new Refusal(error);
    }
    if (cacheByText.size >= CACHE_LIMIT) cacheByText.clear();
    cacheByText.set(text, value);
  }
  cacheByIdentity.set(schema, value);
  return unlessRefused(value);
}

class Refusal {
  constructor(readonly error: DynaflowError) {}
}

function unlessRefused(value: unknown): unknown {
  if (value instanceof Refusal) throw value.error;
  return value;
}

/** Refuses a schema over the budget (SCHEMA_TOO_LARGE), then builds within what it leaves. */
function synthesiseRoot(root: unknown): unknown {
  checkSchemaSize(root, 'the JSON schema');
  const minimum = minimalInstanceBytes(root, root, 0, SCHEMA_BUDGET.maxInstanceBytes);
  const allowance = { remaining: SCHEMA_BUDGET.maxInstanceBytes - minimum, spent: false };
  return synthesise(root, { root, depth: 0, key: undefined, variant: 0, allowance });
}

/** Whether an optional addition of `schema` at `walk` still fits the budget (and takes its share). */
function affords(schema: unknown, walk: Walk, extraChars: number): boolean {
  const { allowance } = walk;
  if (allowance.spent) return false;
  const cost = minimalInstanceBytes(schema, walk.root, walk.depth, allowance.remaining) + extraChars;
  if (!(cost <= allowance.remaining)) {
    allowance.spent = true;
    return false;
  }
  allowance.remaining -= cost;
  return true;
}

function synthesise(input: unknown, walk: Walk): unknown {
  if (input === false) return null;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return sampleString({}, walk);
  if (walk.depth > SYNTHESIS_MAX_DEPTH) return null;
  const schema = resolveSchemaShape(input as Schema, walk.root);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return schema.enum[walk.variant % schema.enum.length];
  switch (chooseSchemaType(schema)) {
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
    allowance: walk.allowance,
  });
  let count = 0;
  for (const [key, propertySchema] of Object.entries(properties)) {
    const wanted =
      required.has(key) ||
      (walk.depth < OPTIONAL_PROPERTY_DEPTH && affords(propertySchema, child(key), key.length + 4));
    if (wanted) {
      out[key] = synthesise(propertySchema, child(key));
      count += 1;
    }
  }
  for (const key of required) {
    if (key in out) continue;
    out[key] = synthesise(isSchema(extraSchema) ? extraSchema : true, child(key));
    count += 1;
  }
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  for (let index = 1; count < minProperties && extraSchema !== false; index++) {
    if (`key${index}` in out) continue;
    out[`key${index}`] = synthesise(isSchema(extraSchema) ? extraSchema : true, child(`key${index}`, index));
    count += 1;
  }
  const maxProperties = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;
  for (const key of Object.keys(out)) {
    if (count <= maxProperties) break;
    if (required.has(key)) continue;
    delete out[key];
    count -= 1;
  }
  return out;
}

function sampleArray(schema: Schema, walk: Walk): unknown[] {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const tuple = Array.isArray(schema.prefixItems)
    ? (schema.prefixItems as unknown[])
    : Array.isArray(schema.items)
      ? (schema.items as unknown[])
      : [];
  const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  // One item by default reads like a real answer (if it fits the budget); deep inside a recursive
  // schema only the minimum.
  const firstItem = isSchema(schema.contains) ? schema.contains : (tuple[0] ?? rest ?? true);
  const oneByDefault =
    minItems < 1 &&
    walk.depth < OPTIONAL_PROPERTY_DEPTH &&
    affords(firstItem, { ...walk, depth: walk.depth + 1 }, 1);
  const count = Math.min(oneByDefault ? 1 : minItems, maxItems);
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < count; index++) {
    const itemSchema =
      index === 0 && isSchema(schema.contains) ? schema.contains : (tuple[index] ?? rest ?? true);
    let item: unknown;
    // uniqueItems: try a few variants before accepting a duplicate (best effort).
    for (let variant = index; variant < index + 8; variant++) {
      item = synthesise(itemSchema, { ...walk, depth: walk.depth + 1, variant });
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
  const key = walk.key === undefined ? '' : ` ${walk.key.slice(0, SAMPLE_KEY_CHARS)}`;
  let text = `sample${key}${suffix}`;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  if (format === 'uuid') {
    text = `00000000-0000-4000-8000-${String(walk.variant).padStart(12, '0')}`;
  } else if (format !== undefined && FORMAT_SAMPLES[format] !== undefined) {
    text = FORMAT_SAMPLES[format];
  }
  if (typeof schema.pattern === 'string') text = matchPattern(schema.pattern, text, walk.variant) ?? text;
  // Cut before padding: `minLength` over `maxLength` must not allocate the longer one first.
  if (text.length > maxLength) text = text.slice(0, maxLength);
  if (text.length < minLength) text = text.padEnd(Math.min(minLength, maxLength), 'x');
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
