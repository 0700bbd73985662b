/**
 * PL-4*: the approval question in a terminal: view the script, edit it in $EDITOR (re-validated
 * and re-planned), run and remember, deny.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { approveRun, type Prompter } from '../src/cli/approval.js';
import type { CliIo } from '../src/cli/context.js';
import { loadScript } from '../src/script/index.js';
import { checkProjectTrust } from '../src/settings/index.js';

const SCRIPT = `export const meta = { name: 'edit-me', description: 'fan out', phases: [{ title: 'Fan' }] }
phase('Fan')
return await parallel(Array.from({ length: 7 }, (_, i) => () => agent('item ' + i)))
`;

function setup(editor: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-approval-'));
  const file = path.join(root, 'edit-me.workflow.js');
  writeFileSync(file, SCRIPT);
  const lines: string[] = [];
  const io: CliIo = {
    stdout: () => {},
    stderr: (line) => lines.push(line),
    stdinIsTty: true,
    stderrIsTty: true,
    // A home of its own: remembered approvals and trust never touch the real one.
    env: { EDITOR: editor, HOME: mkdtempSync(path.join(os.tmpdir(), 'dynaflow-approval-home-')) },
    cwd: root,
  };
  return { root, file, io, lines };
}

function answering(...answers: string[]): { prompter: () => Prompter; asked: () => number } {
  let asked = 0;
  return {
    prompter: () => ({
      ask: () => Promise.resolve(answers[asked++] ?? 'd'),
      close: () => {},
    }),
    asked: () => asked,
  };
}

async function approve(io: CliIo, root: string, file: string, prompter: () => Prompter) {
  const script = await loadScript(file);
  return approveRun(
    io,
    {
      script,
      args: undefined,
      limits: {},
      model: undefined,
      providerId: 'anthropic',
      projectRoot: root,
      seed: 1,
    },
    { prompter },
  );
}

describe('approval in a terminal', () => {
  it('PL-40 view, edit (re-planned), then "always": approved and not asked again', async () => {
    const { root, file, io, lines } = setup("sed -i 's/length: 7/length: 3/'");
    const first = answering('v', 'e', 'a');
    const approval = await approve(io, root, file, first.prompter);
    expect(approval.approved).toBe(true);
    const text = lines.join('\n');
    expect(text).toMatch(/total\s+7\b/);
    expect(text).toContain("1  export const meta = { name: 'edit-me'");
    // After the edit the card was built again from a new rehearsal.
    expect(text).toMatch(/total\s+3\b/);
    expect(approval.approved && approval.script.text).toContain('length: 3');

    const second = answering();
    const again = await approve(io, root, file, second.prompter);
    expect(again.approved).toBe(true);
    expect(second.asked()).toBe(0);
  });

  it('PL-41 an edit that breaks the script is reported and the question comes back; deny refuses', async () => {
    const { root, file, io, lines } = setup("sed -i 's/phase(/phase((/'");
    const answers = answering('e', 'd');
    const approval = await approve(io, root, file, answers.prompter);
    expect(approval.approved).toBe(false);
    expect(answers.asked()).toBe(2);
    expect(lines.join('\n')).toMatch(/the edited script does not validate: SCRIPT_SYNTAX/);
    expect(lines.at(-1)).toContain('not approved');
  });

  it('TR-25 in a terminal, a folder with configuration of its own is asked about first; yes is recorded in the home', async () => {
    const { root, file, io, lines } = setup('true');
    writeFileSync(
      path.join(root, '.mcp.json'),
      JSON.stringify({ mcpServers: { docs: { command: 'docs-server' } } }),
    );
    const home = io.env.HOME ?? '';
    const { prompter, asked } = answering('y', 'd');
    expect((await approve(io, root, file, prompter)).approved).toBe(false);
    expect(asked()).toBe(2);
    expect(lines.join('\n')).toContain('.mcp.json (every server in it)');
    expect(checkProjectTrust(root, home).state).toBe('trusted');

    // Trusted now: the next approval asks only about the run.
    const again = answering('r');
    expect((await approve(io, root, file, again.prompter)).approved).toBe(true);
    expect(again.asked()).toBe(1);
  });

  it('TR-26 answering no keeps the folder untrusted and the card says what was left out', async () => {
    const { root, file, io, lines } = setup('true');
    writeFileSync(
      path.join(root, '.mcp.json'),
      JSON.stringify({ mcpServers: { docs: { command: 'docs-server' } } }),
    );
    const { prompter } = answering('n', 'd');
    await approve(io, root, file, prompter);
    expect(checkProjectTrust(root, io.env.HOME ?? '').trusted).toBe(false);
    expect(lines.join('\n')).toMatch(/not trusted, left out \(dynaflow trust\) \(1\): \.mcp\.json/);
  });
});
