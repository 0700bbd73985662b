/**
 * The static half of the schema budget: an `agent()` call whose `schema` is written as a literal
 * (inline, or a top-level `const` holding one) is measured here, so `validate`, `plan` and `run`
 * refuse a schema bomb before anything runs. Schemas built at run time are measured by the runtime.
 */
import type {
  CallExpression,
  Expression,
  Node,
  ObjectExpression,
  Program,
  Property,
  SpreadElement,
} from 'acorn';
import { ancestor } from 'acorn-walk';
import { findSchemaSizeProblem } from '../schema-budget.js';
import type { Diagnostic } from '../types.js';
import { diagnosticAt } from './diagnostics.js';
import { evaluateLiteral } from './meta-literal.js';
import { isDeclared } from './scope.js';

export function checkAgentSchemas(program: Program, file: string): Diagnostic[] {
  const constants = topLevelConstants(program);
  const errors: Diagnostic[] = [];
  ancestor(program, {
    CallExpression(node: CallExpression, _state: unknown, ancestors: Node[]) {
      const callee = node.callee;
      if (callee.type !== 'Identifier' || callee.name !== 'agent' || isDeclared('agent', ancestors)) return;
      const options = node.arguments[1];
      if (options?.type !== 'ObjectExpression') return;
      const property = propertyNamed(options, 'schema');
      if (property === undefined) return;
      let schemaNode: Expression | undefined = property.value;
      if (schemaNode.type === 'Identifier') schemaNode = constants.get(schemaNode.name);
      if (schemaNode?.type !== 'ObjectExpression') return;
      const schema = literalValue(schemaNode);
      if (schema === undefined) return;
      const problem = findSchemaSizeProblem(schema);
      if (problem === undefined) return;
      errors.push(
        diagnosticAt(
          file,
          nodeAtPath(schemaNode, problem.path) ?? schemaNode,
          'error',
          'SCHEMA_TOO_LARGE',
          `agent() option "schema" is refused: ${problem.message}. Lower ${problem.path || 'it'}: no model answers that much, and the simulator would not build it.`,
        ),
      );
    },
  });
  return errors;
}

/** `const NAME = {…}` at the top level of the script: a schema is usually declared once, up there. */
function topLevelConstants(program: Program): Map<string, Expression> {
  const constants = new Map<string, Expression>();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') continue;
    for (const declarator of statement.declarations) {
      if (declarator.id.type === 'Identifier' && declarator.init)
        constants.set(declarator.id.name, declarator.init);
    }
  }
  return constants;
}

/** The value of a pure literal, or undefined when any part of it is computed. */
function literalValue(node: Expression | SpreadElement): unknown {
  const collector = { file: '', errors: [], warnings: [] };
  const value = evaluateLiteral(node, collector);
  return collector.errors.length === 0 ? value : undefined;
}

function keyOf(property: Property): string | undefined {
  if (property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal') return String(property.key.value);
  return undefined;
}

function propertyNamed(object: ObjectExpression, key: string): Property | undefined {
  for (const property of object.properties) {
    if (property.type === 'Property' && keyOf(property) === key) return property;
  }
  return undefined;
}

/** The node of `properties.items.minItems` inside the literal, to point the error at the keyword. */
function nodeAtPath(root: ObjectExpression, path: string): Node | undefined {
  const parts = path === '' ? [] : path.split('.');
  let node: Node = root;
  for (const [index, part] of parts.entries()) {
    if (node.type !== 'ObjectExpression') return undefined;
    const property = propertyNamed(node as ObjectExpression, part);
    if (property === undefined) return undefined;
    node = index === parts.length - 1 ? property : property.value;
  }
  return node;
}
