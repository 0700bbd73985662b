/**
 * "Every stop error has a hint", checked where errors are made: each `new …Error('CODE', …)` in
 * src/ whose code's row says `hintRequired` must pass options with a `hint`. A new throw site
 * without one fails here, naming its file and line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { ERROR_SEMANTICS, type ErrorCode } from './index.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const hintRequired = new Set(
  (Object.keys(ERROR_SEMANTICS) as ErrorCode[]).filter((code) => ERROR_SEMANTICS[code].hintRequired),
);

interface ThrowSite {
  readonly code: string;
  readonly where: string;
  readonly hasHint: boolean;
}

function productionSources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return productionSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** True when an argument is an object literal naming `hint` (`hint: …` or the shorthand `hint`). */
function givesHint(argument: ts.Expression): boolean {
  return (
    ts.isObjectLiteralExpression(argument) &&
    argument.properties.some(
      (property) =>
        (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) &&
        property.name.getText() === 'hint',
    )
  );
}

function stopErrorSites(file: string): ThrowSite[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: ThrowSite[] = [];
  const visit = (node: ts.Node): void => {
    const first = ts.isNewExpression(node) ? node.arguments?.[0] : undefined;
    if (
      ts.isNewExpression(node) &&
      first &&
      ts.isStringLiteral(first) &&
      hintRequired.has(first.text as ErrorCode)
    ) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      sites.push({
        code: first.text,
        where: `${path.relative(SRC, file)}:${line + 1}`,
        hasHint: (node.arguments ?? []).slice(2).some(givesHint),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

describe('stop errors', () => {
  const sites = productionSources(SRC).flatMap(stopErrorSites);

  it('are found for every code that requires a hint (the scan sees them)', () => {
    const found = new Set(sites.map((site) => site.code));
    expect([...hintRequired].filter((code) => !found.has(code))).toEqual([]);
  });

  it('are constructed with a hint everywhere they are raised', () => {
    expect(sites.filter((site) => !site.hasHint).map((site) => `${site.where} ${site.code}`)).toEqual([]);
  });
});
