import { describe, expect, it } from 'vitest';

import { ProviderError } from '../../errors/index.js';
import type { ModelRequest, StreamEvent } from '../types.js';
import { createScriptedProvider, scriptedResponse, toolUse } from './scripted-provider.js';

const REQUEST: ModelRequest = {
  model: 'm',
  system: [],
  messages: [{ role: 'user', content: 'q' }],
  tools: [],
  maxTokens: 5,
};

describe('createScriptedProvider', () => {
  it('answers from the responder, records requests and reports stream events', async () => {
    const provider = createScriptedProvider((request, index) =>
      scriptedResponse([
        { type: 'text', text: `${index}:${JSON.stringify(request.messages[0]?.content)}` },
        toolUse('T', {}),
      ]),
    );
    const events: StreamEvent[] = [];
    const response = await provider.createMessage(REQUEST, { onEvent: (event) => events.push(event) });
    expect(response.content[0]).toEqual({ type: 'text', text: '0:"q"' });
    expect(response.stopReason).toBe('tool_use');
    expect(provider.requests).toEqual([REQUEST]);
    expect(events.map((event) => event.type)).toEqual(['response-start', 'text-delta', 'tool-use-start']);
  });

  it('rejects with a returned Error and honours an aborted signal', async () => {
    const failing = createScriptedProvider(
      () => new ProviderError('PROVIDER_OVERLOADED', 'busy', { retryAfterMs: 5 }),
    );
    await expect(failing.createMessage(REQUEST)).rejects.toMatchObject({ code: 'PROVIDER_OVERLOADED' });
    const controller = new AbortController();
    controller.abort();
    await expect(failing.createMessage(REQUEST, { signal: controller.signal })).rejects.toMatchObject({
      code: 'RUN_CANCELLED',
    });
  });
});
