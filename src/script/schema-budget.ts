/**
 * How big the smallest instance of a JSON Schema is, computed without building it, and the one
 * size budget every place that turns a schema into a value (the simulator's synthesis, the
 * planner's rehearsal, `validate`'s static check, a real run's `agent()`) holds it to. A schema
 * is script-controlled input: `minItems: 1e8` of strings with `minLength: 1e8` would otherwise
 * take the host's heap, and no model could ever answer it anyway.
 *
 * The measure follows the same choices as the synthesis (`resolveSchemaShape`: `$ref` followed,
 * `allOf` merged, the first non-null `anyOf`/`oneOf` branch and type, `const`, the first `enum`
 * value) and counts only what every instance it builds must hold: `minItems` items, `minLength`
 * characters, `required` and `minProperties` keys. It walks each node at most once per place it
 * occurs in the instance and stops as soon as the running total passes the budget, so it costs at
 * most about one step per byte of budget, whatever the schema multiplies.
 */
import { ScriptError } from '../errors/index.js';

export type SchemaNode = Record<string, unknown>;

/** Limits on a schema; {@link SCHEMA_BUDGET} holds the defaults. */
export interface SchemaBudget {
  /** Largest allowed minimal instance, in characters of JSON. */
  readonly maxInstanceBytes: number;
  /** Deepest allowed nesting of the schema document itself (objects and arrays). */
  readonly maxNesting: number;
}

export const SCHEMA_BUDGET: SchemaBudget = { maxInstanceBytes: 1024 * 1024, maxNesting: 64 };

/** Past this instance depth the synthesis writes `null`: recursive `$ref`s end there. */
export const SYNTHESIS_MAX_DEPTH = 16;

export interface SchemaSizeProblem {
  /** Dotted path of the keyword that makes the instance too big, e.g. `properties.items.minItems`. */
  readonly path: string;
  readonly message: string;
}

/** Thrown inside the walk when the running total passes the limit; never escapes this module. */
class OverBudget extends Error {
  constructor(readonly path: string) {
    super(`over the schema budget at ${path}`);
  }
}

interface Measure {
  readonly root: unknown;
  readonly limit: number;
  spent: number;
  /** Size of a schema node already measured at a depth: `$ref` fan-out is not walked again. */
  readonly known: WeakMap<object, Map<number, number>>;
}

export function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first reason `schema` is over `budget` (document nesting, then minimal instance size), or
 * `undefined` when it fits.
 *
 * @example
 * findSchemaSizeProblem({ type: 'array', minItems: 1e8 })?.path // 'minItems'
 */
export function findSchemaSizeProblem(
  schema: unknown,
  budget: SchemaBudget = SCHEMA_BUDGET,
): SchemaSizeProblem | undefined {
  const deep = nestingPastLimit(schema, budget.maxNesting, '');
  if (deep !== undefined) {
    return {
      path: deep,
      message: `the schema is nested more than ${budget.maxNesting} levels deep (at ${deep || '(root)'})`,
    };
  }
  const measure: Measure = { root: schema, limit: budget.maxInstanceBytes, spent: 0, known: new WeakMap() };
  try {
    measureNode(schema, measure, 0, '');
    return undefined;
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    return {
      path: error.path,
      message: `its smallest instance is larger than ${formatBytes(budget.maxInstanceBytes)} of JSON (because of ${error.path || '(root)'})`,
    };
  }
}

/**
 * Throws `SCHEMA_TOO_LARGE` naming `subject` and the offending keyword when `schema` is over
 * `budget`.
 *
 * @example
 * checkSchemaSize(options.schema, 'agent() option "schema"');
 */
export function checkSchemaSize(
  schema: unknown,
  subject: string,
  budget: SchemaBudget = SCHEMA_BUDGET,
): void {
  const problem = findSchemaSizeProblem(schema, budget);
  if (problem === undefined) return;
  throw new ScriptError('SCHEMA_TOO_LARGE', `${subject} is refused: ${problem.message}.`, {
    hint: `Lower ${problem.path || 'the schema'}: ask for at most a few hundred KiB of output and let agents write bigger results to files.`,
  });
}

/**
 * Characters of JSON in the smallest instance of `schema` (a sub-schema of `root`) at instance
 * depth `depth`, or `Infinity` once past `limit`. The synthesis asks this before adding anything
 * optional.
 */
export function minimalInstanceBytes(schema: unknown, root: unknown, depth: number, limit: number): number {
  const measure: Measure = { root, limit, spent: 0, known: new WeakMap() };
  try {
    measureNode(schema, measure, depth, '');
    return measure.spent;
  } catch (error) {
    if (error instanceof OverBudget) return Infinity;
    throw error;
  }
}

function add(measure: Measure, bytes: number, path: string): void {
  measure.spent += bytes;
  if (!(measure.spent <= measure.limit)) throw new OverBudget(path);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function measureNode(input: unknown, measure: Measure, depth: number, path: string): void {
  if (!isSchemaNode(input)) return add(measure, input === false ? 4 : 2, path);
  if (depth > SYNTHESIS_MAX_DEPTH) return add(measure, 4, path);
  const sizes = measure.known.get(input) ?? new Map<number, number>();
  const known = sizes.get(depth);
  if (known !== undefined) return add(measure, known, path);
  const before = measure.spent;
  measureShape(input, measure, depth, path);
  sizes.set(depth, measure.spent - before);
  measure.known.set(input, sizes);
}

function measureShape(input: SchemaNode, measure: Measure, depth: number, path: string): void {
  const schema = resolveSchemaShape(input, measure.root);
  const here = typeof input.$ref === 'string' ? pointerPath(input.$ref) : path;
  if ('const' in schema) return add(measure, jsonLength(schema.const), here);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return add(measure, jsonLength(schema.enum[0]), here);
  }
  switch (chooseSchemaType(schema)) {
    case 'null':
    case 'boolean':
      return add(measure, 4, here);
    case 'integer':
    case 'number':
      return add(measure, 1, here);
    case 'array':
      return measureArray(schema, measure, depth, here);
    case 'object':
      return measureObject(schema, measure, depth, here);
    default: {
      const length = Math.min(numberOr(schema.minLength, 0), numberOr(schema.maxLength, Infinity));
      return add(measure, 2 + length, join(here, 'minLength'));
    }
  }
}

function measureArray(schema: SchemaNode, measure: Measure, depth: number, path: string): void {
  const count = Math.min(numberOr(schema.minItems, 0), numberOr(schema.maxItems, Infinity));
  add(measure, 2, path);
  if (count <= 0) return;
  const countPath = join(path, 'minItems');
  // Cheap refusal before walking anything: every item is at least one character and a comma.
  if (count > measure.limit) throw new OverBudget(countPath);
  const tuple = Array.isArray(schema.prefixItems)
    ? (schema.prefixItems as unknown[])
    : Array.isArray(schema.items)
      ? (schema.items as unknown[])
      : [];
  const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  const restPath = join(path, Array.isArray(schema.items) ? 'additionalItems' : 'items');
  const distinct = Math.min(count, Math.max(tuple.length, isSchemaNode(schema.contains) ? 1 : 0));
  for (let index = 0; index < distinct; index++) {
    const itemSchema =
      index === 0 && isSchemaNode(schema.contains) ? schema.contains : (tuple[index] ?? rest);
    measureNode(itemSchema ?? true, measure, depth + 1, join(path, `items.${index}`));
  }
  const repeated = count - distinct;
  if (repeated <= 0) return add(measure, count - 1, countPath);
  const before = measure.spent;
  measureNode(rest ?? true, measure, depth + 1, restPath);
  add(measure, (repeated - 1) * (measure.spent - before) + (count - 1), countPath);
}

function measureObject(schema: SchemaNode, measure: Measure, depth: number, path: string): void {
  const properties = isSchemaNode(schema.properties) ? schema.properties : {};
  const extraSchema = isSchemaNode(schema.additionalProperties) ? schema.additionalProperties : true;
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === 'string') : [],
  );
  add(measure, 2, path);
  add(measure, Math.max(0, required.size - 1), join(path, 'required'));
  for (const key of required) {
    const own = Object.prototype.hasOwnProperty.call(properties, key);
    add(measure, key.length + 3, join(path, 'required'));
    measureNode(
      own ? properties[key] : extraSchema,
      measure,
      depth + 1,
      own ? join(path, `properties.${key}`) : join(path, 'additionalProperties'),
    );
  }
  const missing = numberOr(schema.minProperties, 0) - required.size;
  if (missing <= 0 || schema.additionalProperties === false) return;
  const countPath = join(path, 'minProperties');
  if (missing > measure.limit) throw new OverBudget(countPath);
  const before = measure.spent;
  measureNode(extraSchema, measure, depth + 1, join(path, 'additionalProperties'));
  // `"keyN":` and a comma for each added key, as the synthesis names them.
  add(measure, (missing - 1) * (measure.spent - before) + missing * (String(missing).length + 7), countPath);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && !Number.isNaN(value) ? value : fallback;
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value)?.length ?? 4;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes.toLocaleString('en-US')} bytes`;
}

/** The path of the first object/array nested deeper than `limit`, without recursing past it. */
function nestingPastLimit(value: unknown, limit: number, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (limit < 0) return path;
  for (const [key, child] of Object.entries(value)) {
    const found = nestingPastLimit(child, limit - 1, join(path, key));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `#/$defs/item` → `$defs.item`, the path the measure reports inside a referenced schema. */
function pointerPath(ref: string): string {
  return ref.startsWith('#') ? ref.slice(1).split('/').filter(Boolean).join('.') : ref;
}

/**
 * Follows `$ref`, merges `allOf`, picks the first usable `anyOf`/`oneOf` branch: the shape both
 * the measure and the simulator's synthesis work on. Gives up after {@link SYNTHESIS_MAX_DEPTH}
 * hops (a `$ref` cycle), returning the schema as it stands.
 */
export function resolveSchemaShape(schema: SchemaNode, root: unknown, hops = 0): SchemaNode {
  if (hops > SYNTHESIS_MAX_DEPTH) return schema;
  if (typeof schema.$ref === 'string') {
    const target = resolvePointer(root, schema.$ref);
    const { $ref: _ref, ...siblings } = schema;
    return resolveSchemaShape(mergeSchemas(isSchemaNode(target) ? target : {}, siblings), root, hops + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...siblings } = schema;
    let merged: SchemaNode = siblings;
    for (const part of allOf as unknown[]) {
      if (isSchemaNode(part)) merged = mergeSchemas(merged, resolveSchemaShape(part, root, hops + 1));
    }
    return resolveSchemaShape(merged, root, hops + 1);
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const usable = branches.filter(isSchemaNode);
    const branch = usable.find((candidate) => !isNullOnly(candidate, root)) ?? usable[0] ?? {};
    const { [keyword]: _branches, ...siblings } = schema;
    return resolveSchemaShape(mergeSchemas(siblings, branch), root, hops + 1);
  }
  return schema;
}

function isNullOnly(schema: SchemaNode, root: unknown): boolean {
  const target = typeof schema.$ref === 'string' ? resolvePointer(root, schema.$ref) : schema;
  return isSchemaNode(target) && (target.type === 'null' || (target.const === null && 'const' in target));
}

function mergeSchemas(base: SchemaNode, extra: SchemaNode): SchemaNode {
  const merged: SchemaNode = { ...base, ...extra };
  if (isSchemaNode(base.properties) && isSchemaNode(extra.properties)) {
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

/** The type the synthesis builds: the first non-null of a list, else guessed from the keywords. */
export function chooseSchemaType(schema: SchemaNode): string {
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
