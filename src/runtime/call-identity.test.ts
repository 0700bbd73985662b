/**
 * Pins the call-identity functions. Resume and `--reuse` find a journaled call by its key, so
 * every value below is what journals already on users' disks contain: a failing expectation here
 * means those journals stop replaying. Do not update a constant without shipping a journal
 * migration that rewrites the old keys (src/journal/internal/migrations.ts) and re-recording
 * test/journals (its README); test/replay-guard.test.ts checks the same keys end to end.
 */
import { describe, expect, it } from 'vitest';
import { behaviourOptions, type AgentCallOptions } from './agent-options.js';
import { CallKeyAllocator, callHash, stableStringify } from './call-identity.js';

const MIGRATE = 'call key changed: old journals will not replay — ship a journal migration';

/** The parts of an agent call's key, composed as `runAgentCall` composes them (agent-call.ts). */
function agentHash(prompt: string, options: AgentCallOptions, model: string): string {
  return callHash({ kind: 'agent', prompt, ...behaviourOptions(options), model });
}

/** The parts of an exec call's key, composed as `runExecCall` composes them (exec-call.ts). */
function execHash(command: string, cwd: string): string {
  return callHash({ kind: 'exec', command, cwd });
}

const SONNET = 'claude-sonnet-5-5';
const OPUS = 'claude-opus-5-5';
const CLASS_SCHEMA = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { type: 'string', enum: ['bug', 'flaky'] } },
} as const;

describe('callHash of agent calls', () => {
  it('CI-01 a plain prompt on a model keeps its hash', () => {
    expect(agentHash('Summarise intro.md in one line', {}, SONNET), MIGRATE).toBe('94c2cb414ef0c97d2127c3f1');
  });

  it('CI-02 label and phase are not behaviour: they leave the hash alone', () => {
    const plain = agentHash('Summarise intro.md in one line', {}, SONNET);
    expect(agentHash('Summarise intro.md in one line', { label: 'x', phase: 'Review' }, SONNET)).toBe(plain);
  });

  it('CI-03 each behaviour option keeps its hash', () => {
    const pinned = {
      schema: agentHash('Classify the failure of a.test.ts', { schema: CLASS_SCHEMA }, SONNET),
      agentType: agentHash('Re-read a.ts', { agentType: 'Explore' }, SONNET),
      effortAndTurns: agentHash('Fix a.ts', { effort: 'high', maxTurns: 5 }, SONNET),
      modelOption: agentHash('Fix a.ts', { model: 'opus' }, OPUS),
      isolation: agentHash('Fix a.ts', { isolation: 'worktree' }, SONNET),
      otherModel: agentHash('Summarise intro.md in one line', {}, OPUS),
    };
    expect(pinned, MIGRATE).toEqual({
      schema: '54c0ead09f417351e0135c71',
      agentType: '22f37cad6fcce80c2fa66e91',
      effortAndTurns: '36b3a05f21dedc3b1615f5be',
      modelOption: '68e24022b69489c178136aac',
      isolation: 'c14814bf73ba67098be433e5',
      otherModel: 'f7cec12ad66996aa03b5bae5',
    });
  });

  it('CI-04 exactly these options enter an agent’s key (label, phase and unknown keys do not)', () => {
    expect(Object.keys(behaviourOptions({})).sort(), MIGRATE).toEqual(
      ['agentType', 'effort', 'isolation', 'maxTurns', 'model', 'schema'].sort(),
    );
  });
});

describe('callHash of exec calls', () => {
  it('CI-05 command and working directory (relative to the project) keep their hash', () => {
    expect({ root: execHash('echo pinned', '.'), src: execHash('echo pinned', 'src') }, MIGRATE).toEqual({
      root: '23ff7a8c512da9c6fb829702',
      src: '0d39966ca235c0f0f231c0f5',
    });
  });
});

describe('stableStringify', () => {
  it('CI-06 sorts keys, drops undefined members and writes undefined elements as null', () => {
    expect(
      stableStringify({ b: [1, { d: undefined, c: 'x' }, undefined], a: null, u: undefined }),
      MIGRATE,
    ).toBe('{"a":null,"b":[1,{"c":"x"},null]}');
  });

  it('CI-07 key order of the input does not matter', () => {
    expect(callHash({ a: 1, b: { y: 2, x: 3 } })).toBe(callHash({ b: { x: 3, y: 2 }, a: 1 }));
  });
});

describe('CallKeyAllocator', () => {
  it('CI-08 numbers identical calls 1, 2, 3 per hash, independently of other hashes', () => {
    const keys = new CallKeyAllocator();
    expect(
      [keys.next('aaa'), keys.next('bbb'), keys.next('aaa'), keys.next('aaa'), keys.next('bbb')],
      MIGRATE,
    ).toEqual(['aaa#1', 'bbb#1', 'aaa#2', 'aaa#3', 'bbb#2']);
  });
});
