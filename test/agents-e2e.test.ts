/**
 * AG-*: agents that do real work, end to end (script → runtime → agent loop → anthropic SDK →
 * HTTP → simulator → real tools on a real project), with settings, permissions, agent types,
 * project context and transcripts.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAgentTranscript } from '../src/cli/transcript-view.js';
import type { CliIo } from '../src/cli/context.js';
import type { SimBehaviour } from '../src/sim/index.js';
import { agentHarness, createProject, META, recorder, type Project } from './helpers/agent-project.js';
import type { Harness } from './helpers/harness.js';

let project: Project | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  await project?.remove();
  harness = undefined;
  project = undefined;
});

function captureIo(cwd: string): CliIo & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    stdout: (text) => out.push(text),
    stderr: () => {},
    stdinIsTty: false,
    stderrIsTty: false,
    env: {},
    cwd,
  };
}

/** Records what the model was sent (tool results, system, tools, model) and answers by directives. */
const simTool = (name: string, input: unknown): string => `@sim tool ${name} ${JSON.stringify(input)}`;

describe('tools confined to the workspace', () => {
  it('AG-01 writes to /tmp, ../x, through an outside symlink and by an Explore agent are refused; Edit changes exactly the match', async () => {
    project = await createProject({ 'notes.txt': 'alpha beta gamma\nbeta again\n' });
    const outside = path.join(path.dirname(project.root), 'outside');
    await mkdir(outside);
    await symlink(outside, path.join(project.root, 'link'));
    const absolute = path.join(path.dirname(project.root), 'absolute.txt');
    const behaviour = recorder('escape attempt');
    harness = await agentHarness(project, { behaviour });
    const prompt = [
      'escape attempt',
      simTool('Write', { file_path: absolute, content: 'x' }),
      simTool('Write', { file_path: '../x.txt', content: 'x' }),
      simTool('Write', { file_path: 'link/evil.txt', content: 'x' }),
      simTool('Edit', { file_path: 'notes.txt', old_string: 'beta gamma', new_string: 'BETA gamma' }),
      simTool('Edit', { file_path: 'notes.txt', old_string: 'a', new_string: 'A' }),
      '@sim reply finished',
    ].join('\n');
    const explore = [
      'explore escape attempt',
      simTool('Write', { file_path: 'explore.txt', content: 'x' }),
      simTool('Bash', { command: 'echo hi > explore-bash.txt' }),
      simTool('Read', { file_path: 'notes.txt' }),
      '@sim reply looked',
    ].join('\n');
    const outcome = await harness.runText(
      `${META}
      const a = await agent(${JSON.stringify(prompt)}, { label: 'escaper' })
      const b = await agent(${JSON.stringify(explore)}, { label: 'explorer', agentType: 'Explore' })
      return [a, b]`,
    );
    expect(outcome.result).toEqual(['finished', 'looked']);
    const resultsOf = (label: string): { isError: boolean; content: string }[] =>
      behaviour.requests
        .filter((request) => request.sim.firstUserText.startsWith(label))
        .flatMap((request) => request.sim.toolResults);
    const general = resultsOf('escape attempt');
    expect(general.map((result) => result.isError)).toEqual([true, true, true, false, true]);
    expect(general[0]?.content).toMatch(/^PATH_OUTSIDE_WORKSPACE/);
    expect(general[1]?.content).toMatch(/^PATH_OUTSIDE_WORKSPACE/);
    expect(general[2]?.content).toMatch(/^PATH_OUTSIDE_WORKSPACE/);
    // "a" occurs many times: ambiguous without replace_all, refused, the file unchanged by it.
    expect(general[4]?.content).toMatch(/^TOOL_FAILED/);
    const explorer = resultsOf('explore escape attempt');
    expect(explorer.map((result) => result.isError)).toEqual([true, true, false]);
    // Nothing was written anywhere.
    expect(existsSync(absolute)).toBe(false);
    expect(existsSync(path.join(path.dirname(project.root), 'x.txt'))).toBe(false);
    expect(await readdir(outside)).toEqual([]);
    expect(existsSync(path.join(project.root, 'explore.txt'))).toBe(false);
    expect(existsSync(path.join(project.root, 'explore-bash.txt'))).toBe(false);
    expect(await readFile(path.join(project.root, 'notes.txt'), 'utf8')).toBe(
      'alpha BETA gamma\nbeta again\n',
    );
    // The Explore agent was never offered a writing tool.
    const exploreTools = behaviour.requests
      .find((request) => request.sim.firstUserText.startsWith('explore'))
      ?.tools?.map((tool) => tool.name);
    expect(exploreTools?.sort()).toEqual(['Bash', 'Glob', 'Grep', 'Read']);
  });
});

describe('a simulated agent fixes a failing test', () => {
  const FIXTURE = {
    'sum.js': 'module.exports = function sum(a, b) {\n  return a - b;\n};\n',
    'test.js':
      "const sum = require('./sum.js');\nif (sum(2, 3) !== 5) { console.error('FAIL: sum(2, 3) = ' + sum(2, 3)); process.exit(1); }\nconsole.log('PASS');\n",
    'package.json': '{ "type": "commonjs" }\n',
  };

  /** A model that reads, edits, runs the test, and reports only what the tool results showed. */
  const fixer: SimBehaviour = {
    respond(request) {
      if (!request.sim.firstUserText.includes('Fix the failing test')) return undefined;
      const last = request.sim.toolResults.at(-1);
      if (request.sim.assistantTurns === 0)
        return { toolUse: [{ name: 'Read', input: { file_path: 'sum.js' } }] };
      if (last?.content.includes('return a - b;')) {
        return {
          toolUse: [
            {
              name: 'Edit',
              input: { file_path: 'sum.js', old_string: 'return a - b;', new_string: 'return a + b;' },
            },
          ],
        };
      }
      if (last && !last.isError && last.content.includes('sum.js')) {
        return { toolUse: [{ name: 'Bash', input: { command: 'node test.js' } }] };
      }
      const passed = last !== undefined && !last.isError && last.content.includes('PASS');
      return { json: { fixed: passed, testsPassed: passed } };
    },
  };

  it('AG-02 reads the file, edits it, runs the test with Bash and returns the schema result', async () => {
    project = await createProject(FIXTURE);
    harness = await agentHarness(project, { behaviour: fixer });
    const outcome = await harness.runText(
      `${META}
      const before = await exec('node test.js')
      const result = await agent('Fix the failing test (node test.js).', {
        label: 'fixer',
        schema: { type: 'object', required: ['fixed', 'testsPassed'], properties: { fixed: { type: 'boolean' }, testsPassed: { type: 'boolean' } } },
      })
      const after = await exec('node test.js')
      return { before: before.code, result, after: after.code }`,
    );
    expect(outcome.status).toBe('done');
    expect(outcome.result).toEqual({ before: 1, result: { fixed: true, testsPassed: true }, after: 0 });
    expect(await readFile(path.join(project.root, 'sum.js'), 'utf8')).toBe(
      FIXTURE['sum.js'].replace('a - b', 'a + b'),
    );
    const call = harness.journal.listCalls(outcome.runId).find((record) => record.label === 'fixer');
    expect(call?.toolCalls).toBe(4); // Read, Edit, Bash, StructuredOutput

    // AG-03: the transcript is on disk and `show --agent` prints its tool calls.
    const io = captureIo(project.root);
    expect(await renderAgentTranscript(io, project.stateDir, outcome.runId, 'fixer')).toBe(0);
    const text = io.out.join('');
    expect(text).toContain('agent "fixer" — done');
    expect(text).toMatch(/→ Read \{"file_path":"sum.js"\}/);
    expect(text).toMatch(/→ Edit .*return a \+ b;/);
    expect(text).toMatch(/→ Bash \{"command":"node test.js"\}/);
    expect(text).toMatch(/← Bash: PASS/);
    expect(text).toMatch(/→ StructuredOutput \{"fixed":true,"testsPassed":true\}/);
  });
});

describe('transcripts', () => {
  it('AG-03 every agent gets a transcript in the run transcripts file; API keys are redacted; unknown labels are a usage error', async () => {
    project = await createProject({ 'a.txt': 'a\n' });
    harness = await agentHarness(project);
    const key = 'sk-ant-api03-' + 'Q'.repeat(40);
    const outcome = await harness.runText(
      `${META}
      await agent('use key ${key}\\n@sim tool Read {"file_path":"a.txt"}\\n@sim reply ok', { label: 'review: src/a.ts' })
      await agent('second\\n@sim reply ok', { label: 'review: src/a.ts' })
      return 'done'`,
    );
    expect(outcome.status).toBe('done');
    const text = await readFile(
      path.join(project.stateDir, 'runs', outcome.runId, 'transcripts.jsonl'),
      'utf8',
    );
    const headers = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; label?: string; callKey?: string })
      .filter((line) => line.type === 'header');
    expect(headers.map((header) => header.label)).toEqual(['review: src/a.ts', 'review: src/a.ts']);
    expect(new Set(headers.map((header) => header.callKey)).size).toBe(2);
    expect(text).not.toContain(key);
    expect(text).toContain('sk-ant-***');
    // Both agents of a duplicated label are shown.
    const io = captureIo(project.root);
    await renderAgentTranscript(io, project.stateDir, outcome.runId, 'review: src/a.ts');
    expect(io.out.join('').match(/^agent "review: src\/a.ts"/gm)).toHaveLength(2);
    await expect(renderAgentTranscript(io, project.stateDir, outcome.runId, 'nobody')).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});

describe('settings, agent types and project context', () => {
  it('AG-04 exec() obeys the deny rules (PERMISSION_DENIED before it runs) and runs with the scrubbed environment', async () => {
    project = await createProject({
      'important.txt': 'keep\n',
      '.dynaflow/settings.json': JSON.stringify({ permissions: { deny: ['Bash(rm:*)'] } }),
    });
    harness = await agentHarness(project);
    const previous = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-should-not-leak-0000000000';
    try {
      const outcome = await harness.runText(
        `${META}
        let denied = null
        try { await exec('rm -f important.txt') } catch (e) { denied = e.code }
        const echoed = await exec('echo "key=[$ANTHROPIC_API_KEY] home=[$HOME]"')
        return { denied, echoed: echoed.stdout.trim() }`,
      );
      const result = outcome.result as { denied: string; echoed: string };
      expect(result.denied).toBe('PERMISSION_DENIED');
      expect(result.echoed).toMatch(/^key=\[\] home=\[.+\]$/);
      expect(existsSync(path.join(project.root, 'important.txt'))).toBe(true);
      // The refused command was never journaled as run.
      expect(harness.journal.listCalls(outcome.runId).map((call) => call.prompt)).toEqual([
        'echo "key=[$ANTHROPIC_API_KEY] home=[$HOME]"',
      ]);
    } finally {
      if (previous === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = previous;
    }
  });

  it('AG-06 a broken settings file makes agent() and exec() throw CONFIG_INVALID before anything is journaled', async () => {
    project = await createProject({ '.dynaflow/settings.json': '{ "permissions": { "deny": [ } }' });
    harness = await agentHarness(project);
    const outcome = await harness.runText(
      `${META}
      const codes = []
      try { await agent('x') } catch (e) { codes.push(e.code) }
      try { await exec('true') } catch (e) { codes.push(e.code) }
      return codes`,
    );
    expect(outcome.result).toEqual(['CONFIG_INVALID', 'CONFIG_INVALID']);
    expect(harness.journal.listCalls(outcome.runId)).toEqual([]);
  });

  it('AG-05 a custom agent type brings its tools, model and prompt; CLAUDE.md is cacheable context; an unknown type warns and falls back', async () => {
    project = await createProject({
      'CLAUDE.md': 'Always write tests. PROJECT-MARKER\n',
      '.claude/agents/reviewer.md':
        '---\nname: reviewer\ndescription: Reviews code\ntools: Read, Grep\nmodel: haiku\n---\nYou are a meticulous reviewer. REVIEWER-MARKER\n',
    });
    const behaviour = recorder('typed agent');
    harness = await agentHarness(project, { behaviour });
    const outcome = await harness.runText(
      `${META}
      await agent('typed agent one', { agentType: 'reviewer' })
      await agent('typed agent two', { agentType: 'code-reviewer' })
      await agent('typed agent three', { agentType: 'reviewer', model: 'opus' })
      return 'ok'`,
      undefined,
      { model: 'sonnet' },
    );
    expect(outcome.status).toBe('done');
    const [reviewer, unknown, overridden] = ['one', 'two', 'three'].map((name) =>
      behaviour.requests.find((request) => request.sim.firstUserText === `typed agent ${name}`),
    );
    expect(reviewer?.tools?.map((tool) => tool.name).sort()).toEqual(['Grep', 'Read']);
    expect(reviewer?.model).toBe(harness.provider.resolveModel('haiku'));
    expect(overridden?.model).toBe(harness.provider.resolveModel('opus'));
    const system = (Array.isArray(reviewer?.system) ? reviewer.system : []) as {
      text: string;
      cache_control?: unknown;
    }[];
    const context = system.find((block) => block.text.includes('PROJECT-MARKER'));
    expect(context?.text).toContain('REVIEWER-MARKER');
    expect(context?.cache_control).toEqual({ type: 'ephemeral' });
    expect(unknown?.tools?.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash']),
    );
    expect(unknown?.model).toBe(harness.provider.resolveModel('sonnet'));
    const warnings = harness.journal.listEvents(outcome.runId).filter((event) => event.kind === 'warning');
    expect(warnings.filter((event) => event.text.includes('"code-reviewer"'))).toHaveLength(1);
  });
});
