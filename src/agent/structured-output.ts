/**
 * Structured output: the `StructuredOutput` tool whose input schema is the script's schema, its
 * validation (ajv, all errors, with formats), and the check that a schema can be satisfied at all.
 *
 * Each distinct schema is compiled once per process (cached by its JSON text): a pipeline that
 * runs the same schema agent over 500 items compiles it once.
 */
import { createRequire } from 'node:module';

import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';
import type { z as Zod } from 'zod';

import { ScriptError } from '../errors/index.js';
import type { JsonSchema, ToolDefinition } from '../providers/index.js';
import type { SchemaInput } from './types.js';

export const STRUCTURED_OUTPUT_TOOL = 'StructuredOutput';

const STRUCTURED_OUTPUT_DESCRIPTION =
  'Return your final answer. Call this exactly once, when your task is done: its input IS your answer ' +
  'and is returned to the workflow script as data, so it must match the input schema. If it does not, ' +
  'the validation errors come back: fix them and call this tool again.';

// ajv (with its formats) and zod load on the first schema, not with the CLI: most agents have no
// schema, and together they are ~40 ms of a cold start.
const loadPackage = createRequire(import.meta.url);
let ajv: AjvInstance | undefined;

function loadAjv(): AjvInstance {
  if (ajv) return ajv;
  const { Ajv } = loadPackage('ajv') as typeof import('ajv');
  const addFormats = loadPackage('ajv-formats') as typeof addFormatsModule;
  // strict: false — user schemas carry annotations and keywords ajv's strict mode refuses;
  // logger: false — an unknown `format` must not print to the console (stdout carries the result).
  ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  addFormats.default(ajv);
  return ajv;
}

const MAX_CACHED_VALIDATORS = 256;
const validators = new Map<string, ValidateFunction>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaInvalid(message: string, cause?: unknown): ScriptError {
  return new ScriptError('SCHEMA_INVALID', message, {
    cause,
    hint: 'Pass a JSON Schema object (or a zod v4 schema) as opts.schema.',
  });
}

function unsatisfiable(message: string): ScriptError {
  return new ScriptError('SCHEMA_UNSATISFIABLE', message, {
    hint: "Fix opts.schema: its root must be { type: 'object', ... } and every required key must be allowed.",
  });
}

/**
 * The plain JSON Schema of `schema`: zod v4 schemas are converted (draft-07), and a root
 * `$schema` is dropped (the API does not want it and ajv would try to resolve a 2020-12 one).
 */
export function normalizeSchema(schema: SchemaInput): JsonSchema {
  let json: unknown = schema;
  if (isRecord(schema) && '_zod' in schema) {
    try {
      const { z } = loadPackage('zod') as { z: typeof Zod };
      json = z.toJSONSchema(schema as unknown as Zod.ZodType, { target: 'draft-7' });
    } catch (error) {
      throw schemaInvalid(`The zod schema cannot be expressed as JSON Schema: ${String(error)}`, error);
    }
  } else if (isRecord(schema) && '_def' in schema && typeof schema.safeParse === 'function') {
    throw schemaInvalid(
      'This looks like a zod v3 schema; only zod v4 schemas (or JSON Schema) are accepted.',
    );
  }
  if (!isRecord(json)) throw schemaInvalid('The schema must be an object.');
  const { $schema: _ignored, ...rest } = json;
  return rest;
}

function compile(schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = validators.get(key);
  if (cached) return cached;
  let validate: ValidateFunction;
  try {
    validate = loadAjv().compile(schema);
  } catch (error) {
    throw schemaInvalid(
      `The schema is not valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  if (validators.size >= MAX_CACHED_VALIDATORS) validators.clear();
  validators.set(key, validate);
  return validate;
}

function propertyMatchesPattern(key: string, patternProperties: unknown): boolean {
  if (!isRecord(patternProperties)) return false;
  return Object.entries(patternProperties).some(([pattern, subschema]) => {
    if (subschema === false) return false;
    try {
      return new RegExp(pattern, 'u').test(key);
    } catch {
      return false;
    }
  });
}

/** Why an object schema can never be satisfied, following required object properties down. */
function unsatisfiableReason(schema: Record<string, unknown>, path: string): string | undefined {
  const required = Array.isArray(schema.required)
    ? schema.required.filter((key): key is string => typeof key === 'string')
    : [];
  const properties = isRecord(schema.properties) ? schema.properties : {};
  if (typeof schema.maxProperties === 'number' && new Set(required).size > schema.maxProperties) {
    return `${path} requires ${new Set(required).size} properties but allows at most ${schema.maxProperties}`;
  }
  for (const key of required) {
    const property = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (property === false) return `${path}.${key} is required but its schema is false (forbidden)`;
    if (
      property === undefined &&
      schema.additionalProperties === false &&
      !propertyMatchesPattern(key, schema.patternProperties)
    ) {
      return `${path}.${key} is required but not in properties, and additionalProperties is false`;
    }
    if (isRecord(property) && property.type === 'object') {
      const nested = unsatisfiableReason(property, `${path}.${key}`);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

/**
 * Throws before any request when no StructuredOutput input could ever pass: SCHEMA_UNSATISFIABLE
 * when the root is not `type: 'object'` or a required key is forbidden (`properties.k === false`,
 * or absent while `additionalProperties` is false); SCHEMA_INVALID when ajv cannot compile it.
 *
 * @example
 * checkSchemaSatisfiable({ type: 'object', required: ['fixed'], properties: { fixed: { type: 'boolean' } } }) // ok
 * checkSchemaSatisfiable({ type: 'array' }) // throws SCHEMA_UNSATISFIABLE
 */
export function checkSchemaSatisfiable(schema: SchemaInput): void {
  prepareStructuredOutput(schema);
}

export interface StructuredOutput {
  readonly definition: ToolDefinition;
  /** null when valid, else the validation errors as text for the model (one `path: message` per line). */
  validate(value: unknown): string | null;
}

/** Normalizes, checks and compiles `schema` (cached); throws the SCHEMA_* errors. */
export function prepareStructuredOutput(schema: SchemaInput): StructuredOutput {
  const json = normalizeSchema(schema);
  if (json.type !== 'object') {
    throw unsatisfiable(
      `The schema's root must be an object schema (type: 'object'), not ${JSON.stringify(json.type ?? null)}.`,
    );
  }
  const validate = compile(json);
  const reason = unsatisfiableReason(json, '$');
  if (reason !== undefined) throw unsatisfiable(`The schema can never be satisfied: ${reason}.`);
  return {
    definition: {
      name: STRUCTURED_OUTPUT_TOOL,
      description: STRUCTURED_OUTPUT_DESCRIPTION,
      inputSchema: json,
    },
    validate: (value) => (validate(value) ? null : formatValidationErrors(validate.errors ?? [])),
  };
}

const MAX_REPORTED_ERRORS = 20;

/** `path: message` lines, e.g. `/fixed: must be boolean`, `(root): must have required property 'x'`. */
export function formatValidationErrors(errors: readonly ErrorObject[]): string {
  const lines = errors.slice(0, MAX_REPORTED_ERRORS).map((error) => {
    const path = error.instancePath === '' ? '(root)' : error.instancePath;
    const params = error.params as Record<string, unknown>;
    let detail = '';
    if (typeof params.additionalProperty === 'string') detail = ` ('${params.additionalProperty}')`;
    else if (Array.isArray(params.allowedValues)) detail = `: ${JSON.stringify(params.allowedValues)}`;
    return `${path}: ${error.message ?? 'is invalid'}${detail}`;
  });
  if (errors.length > MAX_REPORTED_ERRORS) lines.push(`… and ${errors.length - MAX_REPORTED_ERRORS} more`);
  return lines.length > 0 ? lines.join('\n') : '(root): is invalid';
}
