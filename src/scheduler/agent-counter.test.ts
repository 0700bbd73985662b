import { describe, expect, it } from 'vitest';
import { AgentCounter } from './agent-counter.js';
import { LimitError } from '../errors/index.js';

describe('AgentCounter', () => {
  it('admits 1,000 agents by default and refuses the 1,001st with AGENT_CAP_REACHED', () => {
    const agents = new AgentCounter();
    const ordinals = Array.from({ length: 1_000 }, () => agents.admit());
    expect(ordinals[0]).toBe(1);
    expect(ordinals[999]).toBe(1_000);
    expect(agents.remaining).toBe(0);
    let thrown: unknown;
    try {
      agents.admit();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LimitError);
    expect(thrown).toMatchObject({ code: 'AGENT_CAP_REACHED' });
    expect(agents.count).toBe(1_000);
  });

  it('honours a custom cap and a raise', () => {
    const agents = new AgentCounter(2);
    agents.admit();
    agents.admit();
    expect(() => agents.admit()).toThrow(expect.objectContaining({ code: 'AGENT_CAP_REACHED' }));
    agents.raise(3);
    expect(agents.admit()).toBe(3);
    expect(() => new AgentCounter(-1)).toThrow(expect.objectContaining({ code: 'ARGS_INVALID' }));
  });
});
