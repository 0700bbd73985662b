/**
 * CH-*: a credential failure (PROVIDER_CREDENTIALS_MISSING: a missing key, a 401/403) or an account
 * out of credit (PROVIDER_BILLING) halts the whole run at once instead of failing every agent one
 * by one; the run is resumable and a resume runs exactly the agents that did not complete.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeFor, ProviderError } from '../src/errors/index.js';
import { openMemoryJournal, type JournalStore } from '../src/journal/index.js';
import {
  createScriptedProvider,
  scriptedResponse,
  type ModelProvider,
  type ModelRequest,
  type ScriptedAnswer,
  type ScriptedProvider,
} from '../src/providers/index.js';
import { resumeRun, startRun, type RunDependencies, type RunOutcome } from '../src/runtime/index.js';
import { parseScript, type LoadedScript } from '../src/script/index.js';
import { createHarness, REPO_ROOT } from './helpers/harness.js';

const META = `export const meta = { name: 't', description: 'test' }\n`;
const FAN_OUT = `${META}
  return await parallel(Array.from({ length: 40 }, (_, i) => () => agent('item ' + i)))`;
const ALL_ANSWERS = Array.from({ length: 40 }, (_, i) => `ok item ${i}`);

let journal: JournalStore;
beforeEach(() => {
  journal = openMemoryJournal();
});
afterEach(() => journal.close());

function credentialsRefused(): ProviderError {
  return new ProviderError('PROVIDER_CREDENTIALS_MISSING', 'Anthropic refused the credentials (401).', {
    status: 401,
    hint: 'Check that ANTHROPIC_API_KEY holds a valid key for this endpoint.',
  });
}

function promptOf(request: ModelRequest): string {
  const content = request.messages[0]?.content ?? '';
  if (typeof content === 'string') return content;
  return content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/** Answers every agent with `ok <its prompt>`. */
function workingProvider(): ScriptedProvider {
  return createScriptedProvider((request) =>
    scriptedResponse([{ type: 'text', text: `ok ${promptOf(request)}` }]),
  );
}

function dependencies(provider: ModelProvider, extra: Partial<RunDependencies> = {}): RunDependencies {
  return { journal, provider, projectRoot: REPO_ROOT, ...extra };
}

function script(text: string): LoadedScript {
  return parseScript(text, 'inline.workflow.js');
}

function callStatuses(runId: string): string[] {
  return journal.listCalls(runId).map((call) => call.status);
}

function expectHaltedOnCredentials(outcome: RunOutcome): void {
  expect(outcome.status).toBe('failed');
  expect(outcome.error?.code).toBe('PROVIDER_CREDENTIALS_MISSING');
  expect(exitCodeFor(outcome.error)).toBe(2);
  // The hint still names the variable to set, and says how to go on.
  expect(outcome.error?.hint).toContain('ANTHROPIC_API_KEY');
  expect(outcome.error?.hint).toContain(`dynaflow resume ${outcome.runId}`);
  expect(journal.requireRun(outcome.runId).status).toBe('failed');
  const statuses = callStatuses(outcome.runId);
  expect(statuses).not.toContain('failed');
  expect(statuses).not.toContain('running');
}

describe('a credential failure halts the run', () => {
  it('CH-01 a 40-agent fan-out whose every request is refused stops at its first requests; a resume runs all 40', async () => {
    const refusing = createScriptedProvider((): ScriptedAnswer => credentialsRefused());
    const first = await startRun(dependencies(refusing), {
      script: script(FAN_OUT),
      args: undefined,
      limits: { concurrency: 4 },
    });
    expectHaltedOnCredentials(first);
    // No agent past the ones holding a slot ever sent a request.
    expect(refusing.requests.length).toBeGreaterThanOrEqual(1);
    expect(refusing.requests.length).toBeLessThanOrEqual(4);
    const statuses = callStatuses(first.runId);
    expect(statuses.length).toBeGreaterThanOrEqual(1);
    expect(statuses.length).toBeLessThanOrEqual(4);
    expect(statuses.every((status) => status === 'interrupted')).toBe(true);

    const working = workingProvider();
    const resumed = await resumeRun(dependencies(working), { runId: first.runId });
    expect(resumed.status).toBe('done');
    expect(resumed.result).toEqual(ALL_ANSWERS);
    expect(working.requests).toHaveLength(40);
    expect(resumed.live).toBe(40);
    expect(resumed.reused).toBe(0);
    expect(callStatuses(first.runId)).toEqual(Array(40).fill('done'));
  });

  it('CH-02 requests in flight when the halt comes are aborted and journaled as interrupted', async () => {
    // Holds every request until four are in flight, then refuses the fourth; the other three
    // only end if the halt aborts them.
    const requests: ModelRequest[] = [];
    const holding: ModelProvider = {
      ...createScriptedProvider(() => credentialsRefused()),
      createMessage: (request, options) =>
        new Promise((_resolve, reject) => {
          requests.push(request);
          if (requests.length === 4) reject(credentialsRefused());
          const signal = options?.signal;
          if (signal?.aborted) reject(signal.reason as Error);
          signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
    };
    const first = await startRun(dependencies(holding, { cacheWarming: false }), {
      script: script(FAN_OUT),
      args: undefined,
      limits: { concurrency: 4 },
    });
    expectHaltedOnCredentials(first);
    expect(requests).toHaveLength(4);
    // Only the four agents that held a slot were journaled; the 36 queued ones never started.
    expect(callStatuses(first.runId)).toEqual(Array(4).fill('interrupted'));

    const working = workingProvider();
    const resumed = await resumeRun(dependencies(working), { runId: first.runId });
    expect(resumed.result).toEqual(ALL_ANSWERS);
    expect(working.requests).toHaveLength(40);
  });

  it('CH-03 agents done before the halt are kept: the resume requests only the other ones', async () => {
    // The key works for six requests, then is revoked.
    const revoked = createScriptedProvider((request, index): ScriptedAnswer =>
      index < 6
        ? scriptedResponse([{ type: 'text', text: `ok ${promptOf(request)}` }])
        : credentialsRefused(),
    );
    const first = await startRun(dependencies(revoked), {
      script: script(FAN_OUT),
      args: undefined,
      limits: { concurrency: 4 },
    });
    expectHaltedOnCredentials(first);
    expect(revoked.requests.length).toBeLessThanOrEqual(6 + 4);
    const donePrompts = journal
      .listCalls(first.runId)
      .filter((call) => call.status === 'done')
      .map((call) => call.prompt);
    expect(donePrompts).toHaveLength(6);

    const working = workingProvider();
    const resumed = await resumeRun(dependencies(working), { runId: first.runId });
    expect(resumed.result).toEqual(ALL_ANSWERS);
    expect(resumed.reused).toBe(6);
    // Every agent was answered exactly once across the two attempts.
    const resent = working.requests.map(promptOf);
    expect([...donePrompts, ...resent].sort()).toEqual(ALL_ANSWERS.map((answer) => answer.slice(3)).sort());
  });

  it('CH-04 a halt inside a child workflow stops the parent, even one that catches the error', async () => {
    const child = script(`${META}
      return await parallel([1, 2, 3].map((i) => () => agent('child ' + i)))`);
    const refusingChild = createScriptedProvider((request): ScriptedAnswer =>
      promptOf(request).startsWith('child')
        ? credentialsRefused()
        : scriptedResponse([{ type: 'text', text: `ok ${promptOf(request)}` }]),
    );
    const parent = script(`${META}
      const before = await agent('parent before')
      let caught = null
      try { await workflow('child') } catch (e) { caught = e.code }
      const after = await agent('parent after')
      return { before, caught, after }`);
    const deps = dependencies(refusingChild, { resolveWorkflow: () => Promise.resolve(child) });
    const first = await startRun(deps, { script: parent, args: undefined });
    expectHaltedOnCredentials(first);
    const sent = refusingChild.requests.map(promptOf);
    expect(sent).toContain('parent before');
    expect(sent).not.toContain('parent after');

    const working = workingProvider();
    const resumed = await resumeRun({ ...deps, provider: working }, { runId: first.runId });
    expect(resumed.result).toEqual({
      before: 'ok parent before',
      caught: null,
      after: 'ok parent after',
    });
    expect(working.requests.map(promptOf).sort()).toEqual(['child 1', 'child 2', 'child 3', 'parent after']);
  });

  it('CH-05 a 401 from the simulator, through the anthropic adapter, halts the run; resume finishes it', async () => {
    const harness = await createHarness();
    try {
      // The first agent's key is refused once (the simulator counts attempts per request body).
      const fanOut = `${META}
        return await parallel(Array.from({ length: 12 }, (_, i) => () =>
          agent('part ' + i + (i === 0 ? '\\n@sim fail 401 times 1' : '\\n@sim latency 50') + '\\n@sim reply r' + i)))`;
      const before = harness.sim.stats().requests;
      const first = await harness.runText(fanOut, undefined, { limits: { concurrency: 3 } });
      expect(first.status).toBe('failed');
      expect(first.error?.code).toBe('PROVIDER_CREDENTIALS_MISSING');
      expect(exitCodeFor(first.error)).toBe(2);
      expect(first.error?.describe()).toContain('ANTHROPIC_API_KEY');
      const statuses = harness.journal.listCalls(first.runId).map((call) => call.status);
      expect(statuses).not.toContain('failed');
      const done = statuses.filter((status) => status === 'done').length;

      const resumed = await harness.resume(first.runId);
      expect(resumed.status).toBe('done');
      expect(resumed.result).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`));
      expect(resumed.reused).toBe(done);
      expect(resumed.live).toBe(12 - done);
      // At most one request per slot before the halt (an aborted one may reach the simulator after
      // the run returned, so both attempts are counted together), then one per agent not done.
      expect(harness.sim.stats().requests - before).toBeLessThanOrEqual(3 + 12 - done);
    } finally {
      await harness.close();
    }
  });

  it('CH-06 an account out of credit (402 billing_error) halts the run as exhausted (exit 3); resume finishes it', async () => {
    const harness = await createHarness();
    try {
      const fanOut = `${META}
        return await parallel(Array.from({ length: 12 }, (_, i) => () =>
          agent('part ' + i + (i === 0 ? '\\n@sim fail 402 times 1' : '\\n@sim latency 50') + '\\n@sim reply r' + i)))`;
      const first = await harness.runText(fanOut, undefined, { limits: { concurrency: 3 } });
      expect(first.status).toBe('exhausted');
      expect(first.error?.code).toBe('PROVIDER_BILLING');
      expect(exitCodeFor(first.error)).toBe(3);
      expect(first.error?.hint).toContain('credits');
      const statuses = harness.journal.listCalls(first.runId).map((call) => call.status);
      expect(statuses).not.toContain('failed');
      expect(statuses).toContain('interrupted');
      const done = statuses.filter((status) => status === 'done').length;

      const resumed = await harness.resume(first.runId);
      expect(resumed.status).toBe('done');
      expect(resumed.result).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`));
      expect(resumed.live).toBe(12 - done);
    } finally {
      await harness.close();
    }
  });
});
