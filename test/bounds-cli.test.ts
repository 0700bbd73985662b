/** BD-*: the CLI's exit codes for bounds (the built bundle, as users run it). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const META = "export const meta = { name: 'bomb', description: 'a schema bomb' }";
const BOMB = `{ type: 'object', required: ['items'], properties: { items: { type: 'array', minItems: 1e8, items: { type: 'string', minLength: 1e8 } } } }`;

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-bounds-'));
  mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
  return root;
}

describe('bounds at the CLI', () => {
  it('BD-25 validate and plan exit 2 on a literal schema bomb, naming the keyword', async () => {
    const cwd = project({ 'bomb.workflow.js': `${META}\nreturn await agent('x', { schema: ${BOMB} })\n` });
    const validated = await runCli(['validate', 'bomb.workflow.js'], { cwd });
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain('properties.items.minItems');
    const planned = await runCli(['plan', 'bomb.workflow.js'], { cwd });
    expect(planned.code).toBe(2);
    expect(planned.stderr).toContain('SCHEMA_TOO_LARGE');
  });

  it('BD-26 plan exits 2 with SCHEMA_TOO_LARGE when the bomb is only built at run time', async () => {
    const cwd = project({
      'late.workflow.js': `${META}\nconst schema = JSON.parse(JSON.stringify(${BOMB}))\nreturn await agent('x', { schema })\n`,
    });
    const planned = await runCli(['plan', 'late.workflow.js'], { cwd });
    expect(planned.code).toBe(2);
    expect(planned.stderr).toContain('SCHEMA_TOO_LARGE');
    expect(planned.stderr).not.toContain('internal error');
  });

  it('BD-27 --args nested 3,000 deep exits 2 naming --args', async () => {
    const cwd = project({ 'a.workflow.js': `${META}\nreturn args\n` });
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const planned = await runCli(['plan', 'a.workflow.js', '--args', deep], { cwd });
    expect(planned.code).toBe(2);
    expect(planned.stderr).toContain('--args is nested more than 64 levels');
  });
});
