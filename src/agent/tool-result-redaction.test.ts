/**
 * KS-12..: a key a tool dug up (a Bash command reading another process's environment, an MCP
 * server) is masked — in every encoding — before the model sees the tool's result or the prompt.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { createScriptedProvider, scriptedResponse, toolUse, type ModelRequest } from '../providers/index.js';
import { runAgent } from './agent-loop.js';
import type { AgentTool } from './types.js';

const KEY = 'sk-ant-api03-KS12-dug-up-by-a-command-0123456789';
const VARIABLE = 'KS12_TEST_API_KEY';

/** A tool printing what `tr '\0' '\n' < /proc/$PPID/environ | grep API_KEY | base64 -w0` would. */
function leakyTool(): AgentTool {
  const line = `${VARIABLE}=${KEY}\n`;
  return {
    readOnly: true,
    definition: { name: 'Bash', description: 'runs a command', inputSchema: { type: 'object' } },
    run: () =>
      Promise.resolve({
        content: [
          Buffer.from(line).toString('base64'),
          Buffer.from(KEY).toString('hex'),
          [...KEY].reverse().join(''),
          KEY,
        ].join('\n'),
      }),
  };
}

function sentText(requests: readonly ModelRequest[]): string {
  return JSON.stringify(requests.map((request) => request.messages));
}

async function runLeakyAgent(redact?: (text: string) => string): Promise<ModelRequest[]> {
  const requests: ModelRequest[] = [];
  const provider = createScriptedProvider((request) => {
    requests.push(request);
    return requests.length === 1
      ? scriptedResponse([toolUse('Bash', { command: 'cat /proc/$PPID/environ' })])
      : scriptedResponse([{ type: 'text', text: 'done' }]);
  });
  const outcome = await runAgent(
    {
      prompt: `exec() said: ${Buffer.from(KEY).toString('base64')}`,
      model: 'claude-sonnet-5-5',
      tools: [leakyTool()],
    },
    {
      send: (request, options) => provider.createMessage(request, options),
      signal: new AbortController().signal,
      workspace: '/work/space',
      ...(redact === undefined ? {} : { redact }),
    },
  );
  expect(outcome.ok).toBe(true);
  expect(requests).toHaveLength(2);
  // The tool really ran and its result was sent back.
  const sent = sentText(requests);
  expect(sent).toContain('tool_result');
  expect(sent).not.toContain('is_error');
  return requests;
}

afterEach(() => {
  delete process.env[VARIABLE];
});

describe('what a tool returns reaches the model without known keys', () => {
  it('KS-12 masks the key and its base64, hex and reversed forms from the environment by default', async () => {
    process.env[VARIABLE] = KEY;
    const sent = sentText(await runLeakyAgent());
    expect(sent).not.toContain(KEY);
    expect(sent).not.toContain(Buffer.from(KEY).toString('hex'));
    expect(sent).not.toContain([...KEY].reverse().join(''));
    expect(sent).not.toContain(Buffer.from(KEY).toString('base64').slice(4, -4));
    expect(sent).not.toContain(Buffer.from(`${VARIABLE}=${KEY}`).toString('base64').slice(0, 40));
    expect(sent).toContain('***');
  });

  it('KS-13 uses the redaction it is given instead', async () => {
    const sent = sentText(await runLeakyAgent((text) => text.replaceAll(KEY, '[gone]')));
    expect(sent).not.toContain(KEY);
    expect(sent).toContain('[gone]');
  });
});
