import type {
  CallExpression,
  Expression,
  Identifier,
  Node,
  Program,
  SpreadElement,
  UnaryExpression,
} from 'acorn';
import { ancestor } from 'acorn-walk';
import type { Diagnostic, WorkflowMeta } from '../types.js';
import { diagnosticAt } from './diagnostics.js';
import { AGENT_OPTION_KEYS, SCRIPT_GLOBALS, STANDARD_GLOBALS, UNAVAILABLE_GLOBALS } from './known-globals.js';
import { boundNames, isDeclared } from './scope.js';

const HOST_CALLS = new Set(['agent', 'workflow', 'exec']);

/**
 * Static warnings for a parsed script: free names that will not exist in the sandbox, and the
 * usual mistakes with `parallel`, `phase`, `agent` options and the clock. Never throws.
 */
export function lintProgram(program: Program, meta: WorkflowMeta | undefined, file: string): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const reportedNames = new Set<string>();
  const phaseTitles = new Set((meta?.phases ?? []).map((phase) => phase.title));
  const warn = (node: Node, code: string, message: string): void => {
    warnings.push(diagnosticAt(file, node, 'warning', code, message));
  };

  /** A call of a script global that the script did not shadow, e.g. `agent(...)`. */
  const globalCallee = (call: CallExpression, ancestors: readonly Node[]): string | undefined => {
    const callee = call.callee;
    if (callee.type !== 'Identifier' || isDeclared(callee.name, ancestors)) return undefined;
    return callee.name;
  };

  const checkFreeName = (identifier: Identifier, ancestors: readonly Node[]): void => {
    const name = identifier.name;
    if (reportedNames.has(name) || SCRIPT_GLOBALS.has(name) || STANDARD_GLOBALS.has(name)) return;
    if (isDeclared(name, ancestors)) return;
    const parent = ancestors[ancestors.length - 2];
    // `typeof process === 'undefined'` is how portable code probes; it is fine.
    if (parent?.type === 'UnaryExpression' && (parent as UnaryExpression).operator === 'typeof') return;
    reportedNames.add(name);
    if (UNAVAILABLE_GLOBALS.has(name)) {
      warn(
        identifier,
        'UNAVAILABLE_GLOBAL',
        `${name} is not available in the workflow sandbox (no host process, files, network or timers); agents and exec() touch the world.`,
      );
    } else {
      warn(
        identifier,
        'UNKNOWN_GLOBAL',
        `unknown global ${name}: it is not declared in the script and does not exist in the sandbox.`,
      );
    }
  };

  const checkPhaseTitle = (node: Node, title: string): void => {
    if (phaseTitles.has(title)) return;
    const known = phaseTitles.size
      ? `; meta.phases has ${[...phaseTitles].map((t) => `'${t}'`).join(', ')}`
      : '';
    warn(
      node,
      'UNKNOWN_PHASE',
      `phase '${title}' is not declared in meta.phases${known}. It gets its own group.`,
    );
  };

  const staticString = (node: Expression | SpreadElement | undefined): string | undefined => {
    if (!node) return undefined;
    if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
    if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
      return node.quasis[0]?.value.cooked ?? undefined;
    return undefined;
  };

  const returnsHostCall = (node: Expression | SpreadElement | undefined): boolean => {
    if (!node) return false;
    const inner = node.type === 'AwaitExpression' ? node.argument : node;
    return (
      inner.type === 'CallExpression' &&
      inner.callee.type === 'Identifier' &&
      HOST_CALLS.has(inner.callee.name)
    );
  };

  const checkParallel = (call: CallExpression): void => {
    const first = call.arguments[0];
    const advice =
      'parallel() takes thunks () => agent(...), not promises: these calls start at once, outside the concurrency cap, and their results are not collected.';
    if (first?.type === 'ArrayExpression') {
      for (const element of first.elements) {
        if (element && (element.type === 'CallExpression' || element.type === 'AwaitExpression')) {
          warn(element, 'PARALLEL_NOT_THUNK', advice);
        }
      }
    } else if (
      first?.type === 'CallExpression' &&
      first.callee.type === 'MemberExpression' &&
      !first.callee.computed &&
      first.callee.property.type === 'Identifier' &&
      first.callee.property.name === 'map'
    ) {
      // parallel(items.map(x => agent(x))): the callback returns a promise, not a thunk.
      const callback = first.arguments[0];
      if (
        callback?.type === 'ArrowFunctionExpression' &&
        callback.expression &&
        returnsHostCall(callback.body as Expression)
      ) {
        warn(callback.body, 'PARALLEL_NOT_THUNK', advice);
      }
    }
  };

  const checkAgentOptions = (call: CallExpression): void => {
    const options = call.arguments[1];
    if (options?.type !== 'ObjectExpression') return;
    for (const property of options.properties) {
      if (property.type !== 'Property' || property.computed) continue;
      const key =
        property.key.type === 'Identifier'
          ? property.key.name
          : property.key.type === 'Literal'
            ? String(property.key.value)
            : undefined;
      if (key === undefined) continue;
      if (!AGENT_OPTION_KEYS.has(key)) {
        warn(
          property,
          'UNKNOWN_AGENT_OPTION',
          `agent() option '${key}' is not known (${[...AGENT_OPTION_KEYS].join(', ')}); it is ignored.`,
        );
      } else if (key === 'phase') {
        const title = staticString(property.value);
        if (title !== undefined) checkPhaseTitle(property.value, title);
      }
    }
  };

  ancestor(program, {
    Identifier(node, _state, ancestors) {
      checkFreeName(node, ancestors);
    },
    AssignmentExpression(node, _state, ancestors) {
      // Assignment targets are walked as patterns, so free names there are checked here.
      if (node.left.type === 'MemberExpression') return;
      for (const name of boundNames(node.left)) {
        checkFreeName(
          { type: 'Identifier', name, start: node.start, end: node.end, loc: node.loc } as Identifier,
          ancestors,
        );
      }
    },
    CallExpression(node, _state, ancestors) {
      const name = globalCallee(node, ancestors);
      if (name === 'parallel') checkParallel(node);
      else if (name === 'agent') checkAgentOptions(node);
      else if (name === 'phase') {
        const title = staticString(node.arguments[0]);
        if (title !== undefined) checkPhaseTitle(node.arguments[0] as Node, title);
      }
      const callee = node.callee;
      if (
        callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'Date' &&
        !callee.computed &&
        callee.property.type === 'Identifier' &&
        callee.property.name === 'now' &&
        !isDeclared('Date', ancestors)
      ) {
        warn(
          node,
          'NONDETERMINISM',
          'Date.now() throws in workflow scripts: a clock breaks resume. Pass timestamps in through args.',
        );
      }
    },
    NewExpression(node, _state, ancestors) {
      if (
        node.callee.type === 'Identifier' &&
        node.callee.name === 'Date' &&
        node.arguments.length === 0 &&
        !isDeclared('Date', ancestors)
      ) {
        warn(
          node,
          'NONDETERMINISM',
          'new Date() without arguments throws in workflow scripts: a clock breaks resume. Pass timestamps in through args.',
        );
      }
    },
    ImportExpression(node) {
      warn(
        node,
        'UNAVAILABLE_GLOBAL',
        'import() is not available in the workflow sandbox: there is no module loader. Agents and exec() touch the world.',
      );
    },
  });
  return warnings;
}
