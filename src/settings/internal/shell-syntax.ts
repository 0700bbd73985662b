/**
 * The one door to the shell parser (mvdan/sh, the parser behind `shfmt`, as the `mvdan-sh`
 * package: pure JavaScript, synchronous). Everything else in settings sees only these small
 * structural types, so the parser can be swapped by changing this file.
 *
 * Why loaded lazily with `require`: the package is 1.5 MB of GopherJS output that takes ~150 ms
 * to load. Only a command that a Bash rule (or the read-only allowlist) has to look at needs it;
 * a run without such rules never pays for it. `require` keeps the load synchronous, so the
 * permission check stays synchronous for its callers.
 */
import { createRequire } from 'node:module';

/** A node of mvdan/sh's syntax tree; which fields exist depends on `shellNodeType(node)`. */
export interface ShellNode {
  readonly Stmts?: readonly ShellNode[];
  readonly Cmd?: ShellNode | null;
  readonly Args?: readonly ShellNode[];
  readonly Assigns?: readonly ShellNode[];
  readonly Parts?: readonly ShellNode[];
  readonly Value?: string | ShellNode | null;
  readonly Dollar?: boolean;
  readonly Op?: number;
  readonly N?: ShellNode | null;
  readonly Word?: ShellNode | null;
  readonly Variant?: ShellNode | null;
  readonly Name?: ShellNode | null;
  readonly $type?: string;
  Pos(): { Offset(): number };
  End(): { Offset(): number };
}

interface MvdanSyntax {
  NewParser(): { Parse(source: string, name: string): ShellNode };
  Walk(node: ShellNode, visit: (node: ShellNode | null) => boolean): void;
  NodeType(node: ShellNode): string;
}

/**
 * mvdan/sh's redirection operators (`syntax.RedirOperator`) as the pinned mvdan-sh 0.10.1
 * numbers them; `shell-syntax.test.ts` pins these so an upgrade that renumbers them fails loudly.
 */
export const REDIRECT = {
  output: 54, // >
  append: 55, // >>
  input: 56, // <
  readWrite: 57, // <>
  duplicateInput: 58, // <&
  duplicateOutput: 59, // >&
  clobber: 60, // >|
  hereDocument: 61, // <<
  hereDocumentTabs: 62, // <<-
  hereString: 63, // <<<
  allOutput: 64, // &>
  appendAllOutput: 65, // &>>
} as const;

export type ShellParse =
  { readonly ok: true; readonly file: ShellNode } | { readonly ok: false; readonly error: string };

let loaded: MvdanSyntax | undefined;
let parser: ReturnType<MvdanSyntax['NewParser']> | undefined;

function syntax(): MvdanSyntax {
  loaded ??= (createRequire(import.meta.url)('mvdan-sh') as { syntax: MvdanSyntax }).syntax;
  return loaded;
}

/** Parses bash source; a syntax error comes back as text (`1:6: reached EOF without closing quote '`). */
export function parseShell(source: string): ShellParse {
  try {
    // One parser for the process: creating one costs more than a parse. Parse is synchronous and
    // every tree it returns is freshly allocated, so a nested parse (of a `bash -c` string found
    // while walking an outer tree) leaves the outer tree intact.
    parser ??= syntax().NewParser();
    return { ok: true, file: parser.Parse(source, '') };
  } catch (error) {
    // GopherJS throws Go error values: objects with an `Error()` method, not `Error` instances.
    const goError = error as { Error?: () => string; message?: string };
    return { ok: false, error: goError.Error?.() ?? goError.message ?? String(error) };
  }
}

/** Visits `node` and everything below it, depth first; `visit` returns false to skip a subtree. */
export function walkShell(node: ShellNode, visit: (node: ShellNode) => boolean): void {
  syntax().Walk(node, (child) => (child ? visit(child) : true));
}

/** `CallExpr`, `Word`, `Lit`, `SglQuoted`, `DblQuoted`, `ParamExp`, `CmdSubst`, `Redirect`, … */
export function shellNodeType(node: ShellNode): string {
  // GopherJS objects carry their Go type (`mvdan.cc/sh/v3/syntax.*CallExpr`); reading it is far
  // cheaper than syntax.NodeType, which formats the type with fmt.Sprintf on every call.
  const goType = node.$type;
  if (typeof goType !== 'string') return syntax().NodeType(node);
  return goType.slice(
    Math.max(goType.lastIndexOf('*'), goType.lastIndexOf('.'), goType.lastIndexOf(']')) + 1,
  );
}

/** The source text a node was parsed from; the parser's offsets count UTF-8 bytes, not UTF-16 units. */
export function sourceOf(sourceBytes: Buffer, node: ShellNode): string {
  return sourceBytes.subarray(node.Pos().Offset(), node.End().Offset()).toString('utf8');
}
