import type { Node, Pattern, Statement, ModuleDeclaration } from 'acorn';

/**
 * Lexical scope analysis, enough to tell a script's own names from free ones.
 *
 * A name is declared for a reference when some enclosing scope node declares it. Hoisting is
 * honoured (`var` and function declarations count anywhere in their function), TDZ is not (a
 * `let` used before its line is still "declared": we look for typos and host habits, not order).
 */

type AnyNode = Node & Record<string, unknown>;

const declaredCache = new WeakMap<Node, ReadonlySet<string> | null>();

/** Names bound by a binding pattern: `a`, `{ a, b: [c] }`, `...rest`, `x = 1`. */
export function boundNames(pattern: Pattern | null | undefined, into: Set<string> = new Set()): Set<string> {
  if (!pattern) return into;
  switch (pattern.type) {
    case 'Identifier':
      into.add(pattern.name);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        boundNames(property.type === 'RestElement' ? property.argument : property.value, into);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) boundNames(element, into);
      break;
    case 'RestElement':
      boundNames(pattern.argument, into);
      break;
    case 'AssignmentPattern':
      boundNames(pattern.left, into);
      break;
    default:
      break; // MemberExpression targets bind nothing
  }
  return into;
}

function isFunction(node: AnyNode): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

/** `var` declarations anywhere below `node`, not crossing into nested functions or classes. */
function collectVars(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectVars(child, into);
    return;
  }
  if (node === null || typeof node !== 'object' || typeof (node as AnyNode).type !== 'string') return;
  const current = node as AnyNode;
  if (isFunction(current) || current.type === 'ClassDeclaration' || current.type === 'ClassExpression')
    return;
  if (current.type === 'VariableDeclaration' && current['kind'] === 'var') {
    for (const declaration of current['declarations'] as Array<{ id: Pattern }>)
      boundNames(declaration.id, into);
  }
  for (const key of Object.keys(current)) {
    if (key === 'loc' || key === 'type') continue;
    const child = current[key];
    if (child !== null && typeof child === 'object') collectVars(child, into);
  }
}

/** Let/const/class/function declared directly in a statement list. */
function collectLexical(statements: ReadonlyArray<Statement | ModuleDeclaration>, into: Set<string>): void {
  for (const statement of statements) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
        ? (statement.declaration as Statement | null | undefined)
        : statement;
    if (!declaration) continue;
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) boundNames(declarator.id, into);
    } else if (
      (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') &&
      declaration.id
    ) {
      into.add(declaration.id.name);
    }
  }
}

function computeDeclared(node: AnyNode): Set<string> | null {
  const names = new Set<string>();
  switch (node.type) {
    case 'Program':
      collectVars(node['body'], names);
      collectLexical(node['body'] as Statement[], names);
      return names;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression': {
      for (const parameter of node['params'] as Pattern[]) boundNames(parameter, names);
      const id = node['id'] as { name: string } | null | undefined;
      if (id) names.add(id.name);
      if (node.type !== 'ArrowFunctionExpression') names.add('arguments');
      const body = node['body'] as AnyNode;
      if (body.type === 'BlockStatement') {
        collectVars(body['body'], names);
        collectLexical(body['body'] as Statement[], names);
      }
      return names;
    }
    case 'BlockStatement':
    case 'StaticBlock':
      collectLexical(node['body'] as Statement[], names);
      if (node.type === 'StaticBlock') collectVars(node['body'], names);
      return names;
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const head = (node.type === 'ForStatement' ? node['init'] : node['left']) as AnyNode | null;
      if (head?.type === 'VariableDeclaration') {
        for (const declarator of head['declarations'] as Array<{ id: Pattern }>)
          boundNames(declarator.id, names);
      }
      return names;
    }
    case 'CatchClause':
      boundNames(node['param'] as Pattern | null, names);
      return names;
    case 'SwitchStatement':
      for (const switchCase of node['cases'] as Array<{ consequent: Statement[] }>) {
        collectLexical(switchCase.consequent, names);
      }
      return names;
    case 'ClassDeclaration':
    case 'ClassExpression': {
      const id = node['id'] as { name: string } | null | undefined;
      if (id) names.add(id.name);
      return names;
    }
    default:
      return null;
  }
}

function declaredIn(node: Node): ReadonlySet<string> | null {
  let names = declaredCache.get(node);
  if (names === undefined) {
    names = computeDeclared(node as AnyNode);
    declaredCache.set(node, names);
  }
  return names;
}

/**
 * True when `name`, referenced at the last node of `ancestors` (acorn-walk's ancestor chain,
 * outermost first), is declared by the script itself.
 */
export function isDeclared(name: string, ancestors: readonly Node[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const scopeNode = ancestors[i];
    if (scopeNode && declaredIn(scopeNode)?.has(name)) return true;
  }
  return false;
}
