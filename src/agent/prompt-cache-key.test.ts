import { describe, expect, it } from 'vitest';

import type { ModelRequest, ToolDefinition } from '../providers/index.js';
import { cacheablePrefix } from './prompt-cache-key.js';

const longText = (seed: string): string => `${seed} `.repeat(1_200);

function tool(name: string, description = longText(name)): ToolDefinition {
  return { name, description, inputSchema: { type: 'object', properties: {} } };
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'claude-sonnet-5-5',
    system: [{ text: 'You are a careful engineer.', cache: true }],
    messages: [{ role: 'user', content: 'task 1' }],
    tools: [tool('Read'), tool('Grep')],
    maxTokens: 1_000,
    cacheTools: true,
    ...overrides,
  };
}

describe('cacheablePrefix', () => {
  it('gives agents with equal tools and system text the same key, whatever objects carry them', () => {
    const first = cacheablePrefix(request());
    const second = cacheablePrefix(request({ messages: [{ role: 'user', content: 'task 2' }] }));
    expect(first).toBeDefined();
    expect(second).toEqual(first);
  });

  it('tells prefixes apart by model, tools, tool order and system text', () => {
    const base = cacheablePrefix(request())!.key;
    const variants = [
      request({ model: 'claude-opus-4-5' }),
      request({ tools: [tool('Read'), tool('Glob')] }),
      request({ tools: [tool('Grep'), tool('Read')] }),
      request({ system: [{ text: 'You are a reviewer.', cache: true }] }),
      request({
        system: [
          { text: 'You are a careful engineer.', cache: true },
          { text: 'Workspace: /tmp/wt-1', cache: true },
        ],
      }),
    ].map((variant) => cacheablePrefix(variant)!.key);
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('keeps the key of a reused tool object stable when the memo is consulted again', () => {
    const shared = [tool('Read'), tool('Grep')];
    const keys = Array.from({ length: 3 }, () => cacheablePrefix(request({ tools: shared }))!.key);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(cacheablePrefix(request())!.key);
  });

  it('adds a marked prompt prefix to the key and its length', () => {
    const guide = longText('guide');
    const withGuide = (task: string): ModelRequest =>
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: guide, cache: true },
              { type: 'text', text: task },
            ],
          },
        ],
      });
    const plain = cacheablePrefix(request())!;
    const one = cacheablePrefix(withGuide('task 1'))!;
    const two = cacheablePrefix(withGuide('task 2'))!;
    expect(one.key).toBe(two.key);
    expect(one.key).not.toBe(plain.key);
    expect(one.chars).toBe(plain.chars + guide.length);
  });

  it('finds nothing worth warming below the minimum length', () => {
    const small = request({ tools: [tool('Read', 'Reads a file.')] });
    expect(cacheablePrefix(small)).toBeUndefined();
    expect(cacheablePrefix(small, 10)).toBeDefined();
  });

  it('still tells system prompts apart after the memo of one step is full', () => {
    const keys = Array.from(
      { length: 100 },
      (_, index) =>
        cacheablePrefix(request({ system: [{ text: `Workspace: /wt/${index}`, cache: true }] }))!.key,
    );
    expect(new Set(keys).size).toBe(100);
    expect(cacheablePrefix(request({ system: [{ text: 'Workspace: /wt/0', cache: true }] }))!.key).toBe(
      keys[0],
    );
  });
});
