/**
 * Checks a tool's input against the few field types our tools use. Models send what the
 * schema asks for almost always; when they do not, they get an `is_error` naming the field so
 * they can correct themselves. Numbers sent as numeric strings are accepted (a common slip).
 */
import type { ToolResult } from '../../agent/types.js';
import { toolFailure } from './tool-result.js';

type FieldType = 'string' | 'number' | 'boolean';

export interface FieldSpec {
  readonly type: FieldType;
  readonly required?: boolean;
}

export type ParsedInput = Record<string, string | number | boolean | undefined>;

export function parseToolInput(
  toolName: string,
  input: unknown,
  fields: Readonly<Record<string, FieldSpec>>,
): { ok: true; value: ParsedInput } | { ok: false; result: ToolResult } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, result: toolFailure('TOOL_INPUT_INVALID', `${toolName} expects an object input.`) };
  }
  const record = input as Record<string, unknown>;
  const value: ParsedInput = {};
  for (const [name, spec] of Object.entries(fields)) {
    let field = record[name];
    if (field === undefined || field === null) {
      if (spec.required) {
        return {
          ok: false,
          result: toolFailure('TOOL_INPUT_INVALID', `${toolName}: "${name}" is required (${spec.type}).`),
        };
      }
      continue;
    }
    if (
      spec.type === 'number' &&
      typeof field === 'string' &&
      field.trim() !== '' &&
      Number.isFinite(Number(field))
    ) {
      field = Number(field);
    }
    if (spec.type === 'boolean' && (field === 'true' || field === 'false')) field = field === 'true';
    if (typeof field !== spec.type || (spec.type === 'number' && !Number.isFinite(field))) {
      return {
        ok: false,
        result: toolFailure(
          'TOOL_INPUT_INVALID',
          `${toolName}: "${name}" must be a ${spec.type}, got ${JSON.stringify(field)}.`,
        ),
      };
    }
    value[name] = field as string | number | boolean;
  }
  return { ok: true, value };
}
