import type { Expression, Node, ObjectExpression, Property, SpreadElement } from 'acorn';
import type { Diagnostic, PhaseSpec, WorkflowMeta } from '../types.js';
import { diagnosticAt } from './diagnostics.js';
import { compileSchema } from './schema-compiler.js';

const KNOWN_META_KEYS = new Set(['name', 'description', 'whenToUse', 'phases', 'inputSchema']);
const KNOWN_PHASE_KEYS = new Set(['title', 'detail', 'model']);

interface Collector {
  readonly file: string;
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
}

function metaError(collector: Collector, node: Node, message: string): void {
  collector.errors.push(diagnosticAt(collector.file, node, 'error', 'SCRIPT_META', message));
}

function describeNode(node: Node): string {
  switch (node.type) {
    case 'Identifier':
      return `the identifier \`${(node as { name: string } & Node).name}\``;
    case 'CallExpression':
    case 'NewExpression':
      return 'a call';
    case 'SpreadElement':
      return 'a spread';
    case 'TemplateLiteral':
      return 'template interpolation';
    default:
      return `a ${node.type}`;
  }
}

function propertyKey(property: Property): string | undefined {
  if (property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal') return String(property.key.value);
  return undefined;
}

/**
 * Evaluates a pure literal (objects, arrays, strings, numbers, booleans, null, templates without
 * `${}`, negative numbers). Anything else is a SCRIPT_META error at that node; the result is then
 * `undefined`.
 */
export function evaluateLiteral(node: Expression | SpreadElement, collector: Collector): unknown {
  const notPure = (): undefined => {
    metaError(collector, node, `meta must be a pure literal: ${describeNode(node)} is not allowed here.`);
    return undefined;
  };
  switch (node.type) {
    case 'Literal':
      if ('regex' in node && node.regex) return notPure();
      if (typeof node.value === 'bigint') return notPure();
      return node.value;
    case 'TemplateLiteral':
      return node.expressions.length === 0 ? (node.quasis[0]?.value.cooked ?? '') : notPure();
    case 'UnaryExpression':
      if (
        node.operator === '-' &&
        node.argument.type === 'Literal' &&
        typeof node.argument.value === 'number'
      ) {
        return -node.argument.value;
      }
      return notPure();
    case 'ArrayExpression':
      return node.elements.map((element) => {
        if (element === null) {
          metaError(collector, node, 'meta must be a pure literal: array holes are not allowed.');
          return undefined;
        }
        return evaluateLiteral(element, collector);
      });
    case 'ObjectExpression': {
      const result: Record<string, unknown> = {};
      for (const property of node.properties) {
        if (property.type === 'SpreadElement') {
          evaluateLiteral(property, collector);
          continue;
        }
        const key = propertyKey(property);
        if (key === undefined) {
          metaError(collector, property, 'meta must be a pure literal: computed keys are not allowed.');
          continue;
        }
        if (property.kind !== 'init' || property.method) {
          metaError(collector, property, `meta must be a pure literal: \`${key}\` is a method or accessor.`);
          continue;
        }
        if (property.shorthand) {
          metaError(collector, property, `meta must be a pure literal: \`${key}\` refers to a variable.`);
          continue;
        }
        result[key] = evaluateLiteral(property.value, collector);
      }
      return result;
    }
    default:
      return notPure();
  }
}

function findProperty(object: ObjectExpression, key: string): Property | undefined {
  for (const property of object.properties) {
    if (property.type === 'Property' && propertyKey(property) === key) return property;
  }
  return undefined;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkPhases(property: Property, value: unknown, collector: Collector): PhaseSpec[] | undefined {
  if (!Array.isArray(value)) {
    metaError(collector, property.value, 'meta.phases must be an array of { title, detail?, model? }.');
    return undefined;
  }
  const elements = property.value.type === 'ArrayExpression' ? property.value.elements : [];
  const phases: PhaseSpec[] = [];
  value.forEach((phase: unknown, index) => {
    const node = elements[index] ?? property.value;
    if (!isPlainObject(phase)) {
      metaError(collector, node, `meta.phases[${index}] must be an object { title, detail?, model? }.`);
      return;
    }
    const phaseNode = node.type === 'ObjectExpression' ? node : undefined;
    const at = (key: string): Node => (phaseNode && findProperty(phaseNode, key)?.value) ?? node;
    if (!isNonEmptyString(phase['title'])) {
      metaError(collector, at('title'), `meta.phases[${index}].title must be a non-empty string.`);
      return;
    }
    for (const key of ['detail', 'model'] as const) {
      if (phase[key] !== undefined && typeof phase[key] !== 'string') {
        metaError(collector, at(key), `meta.phases[${index}].${key} must be a string.`);
      }
    }
    for (const key of Object.keys(phase)) {
      if (!KNOWN_PHASE_KEYS.has(key)) {
        collector.warnings.push(
          diagnosticAt(
            collector.file,
            at(key),
            'warning',
            'META_UNKNOWN_KEY',
            `meta.phases[${index}].${key} is not a known field; it is ignored.`,
          ),
        );
      }
    }
    phases.push({
      title: phase['title'],
      ...(typeof phase['detail'] === 'string' ? { detail: phase['detail'] } : {}),
      ...(typeof phase['model'] === 'string' ? { model: phase['model'] } : {}),
    });
  });
  return phases;
}

function checkInputSchema(
  property: Property,
  value: unknown,
  collector: Collector,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    metaError(collector, property.value, 'meta.inputSchema must be a JSON Schema object.');
    return undefined;
  }
  try {
    compileSchema(value);
    return value;
  } catch (error) {
    metaError(
      collector,
      property.value,
      `meta.inputSchema is not a valid JSON Schema: ${(error as Error).message}`,
    );
    return undefined;
  }
}

/**
 * Checks the evaluated meta against SPEC §1. Returns the typed meta when it has no error
 * (errors and warnings go to the collector, each at the offending node).
 */
export function checkMeta(
  node: ObjectExpression,
  value: Record<string, unknown>,
  collector: Collector,
): WorkflowMeta | undefined {
  const before = collector.errors.length;
  const required = (key: 'name' | 'description'): string | undefined => {
    const property = findProperty(node, key);
    if (!property) {
      metaError(collector, node, `meta.${key} is required: a non-empty string.`);
      return undefined;
    }
    if (!isNonEmptyString(value[key])) {
      metaError(collector, property.value, `meta.${key} must be a non-empty string.`);
      return undefined;
    }
    return value[key];
  };
  const name = required('name');
  const description = required('description');
  const meta: Partial<WorkflowMeta> = { ...(name ? { name } : {}), ...(description ? { description } : {}) };

  const whenToUse = findProperty(node, 'whenToUse');
  if (whenToUse) {
    if (typeof value['whenToUse'] === 'string') meta.whenToUse = value['whenToUse'];
    else metaError(collector, whenToUse.value, 'meta.whenToUse must be a string.');
  }
  const phases = findProperty(node, 'phases');
  if (phases) {
    const checked = checkPhases(phases, value['phases'], collector);
    if (checked) meta.phases = checked;
  }
  const inputSchema = findProperty(node, 'inputSchema');
  if (inputSchema) {
    const checked = checkInputSchema(inputSchema, value['inputSchema'], collector);
    if (checked) meta.inputSchema = checked;
  }
  for (const property of node.properties) {
    const key = property.type === 'Property' ? propertyKey(property) : undefined;
    if (key !== undefined && !KNOWN_META_KEYS.has(key)) {
      collector.warnings.push(
        diagnosticAt(
          collector.file,
          property,
          'warning',
          'META_UNKNOWN_KEY',
          `meta.${key} is not a known field (name, description, whenToUse, phases, inputSchema); it is ignored.`,
        ),
      );
    }
  }
  if (collector.errors.length > before || !meta.name || !meta.description) return undefined;
  return meta as WorkflowMeta;
}
