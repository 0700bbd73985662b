/**
 * BD-*: bounds where a script or a schema controls size (issue 12 §6): schema bombs, log storms,
 * warning storms. Caps are lowered through their environment overrides so nothing big is built.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rehearse } from '../src/planner/index.js';
import { parseScript } from '../src/script/index.js';
import { createHarness, REPO_ROOT, type Harness } from './helpers/harness.js';

const META = "export const meta = { name: 'bounds', description: 'bounds' }";
const BOMB = `{ type: 'object', required: ['items'], properties: { items: { type: 'array', minItems: 1e8, items: { type: 'string', minLength: 1e8 } } } }`;

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness.close();
});
afterEach(() => {
  delete process.env.DYNAFLOW_LOG_LINES;
  delete process.env.DYNAFLOW_LOG_BYTES;
});

function eventsOf(runId: string, kind: string): string[] {
  return harness.journal
    .listEvents(runId)
    .filter((event) => event.kind === kind)
    .map((event) => event.text);
}

describe('schema bombs in a run', () => {
  it('BD-12 agent() with a schema bomb built at run time throws SCHEMA_TOO_LARGE before any request', async () => {
    const before = harness.sim.stats().requests;
    const outcome = await harness.runText(
      `${META}\nconst n = 1e8\nconst schema = { type: 'object', required: ['a'], properties: { a: { type: 'array', minItems: n } } }\ntry { await agent('x', { schema }) } catch (e) { return e.code + ': ' + e.message }`,
    );
    expect(outcome.result).toMatch(/^SCHEMA_TOO_LARGE: .*properties\.a\.minItems/);
    expect(harness.sim.stats().requests).toBe(before);
  });

  it('BD-13 a rehearsal of an uncaught schema bomb fails with SCHEMA_TOO_LARGE instead of exhausting the heap', async () => {
    const script = parseScript(
      `${META}\nconst schema = JSON.parse(JSON.stringify(${BOMB}))\nreturn await agent('x', { schema })`,
      'bomb.workflow.js',
    );
    await expect(rehearse({ script, args: undefined, projectRoot: REPO_ROOT })).rejects.toMatchObject({
      code: 'SCHEMA_TOO_LARGE',
    });
  });
});

describe('log storms', () => {
  it('BD-14 log() lines past the per-run cap are dropped after one notice, in a run', async () => {
    process.env.DYNAFLOW_LOG_LINES = '5';
    const outcome = await harness.runText(`${META}\nfor (let i = 0; i < 50; i++) log('line ' + i)\nreturn 1`);
    expect(eventsOf(outcome.runId, 'log')).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    const notices = eventsOf(outcome.runId, 'warning').filter((text) => text.startsWith('log: per-run cap'));
    expect(notices).toHaveLength(1);
    // At run end one closing note says how much was dropped.
    expect(eventsOf(outcome.runId, 'warning').filter((text) => text.includes('dropped past'))).toEqual([
      'log: 45 lines (310 bytes) dropped past the per-run cap',
    ]);
  });

  it('BD-15 the byte cap holds too, and a rehearsal keeps the same bounds', async () => {
    process.env.DYNAFLOW_LOG_BYTES = '1000';
    const script = parseScript(
      `${META}\nconst line = 'x'.repeat(300)\nfor (let i = 0; i < 1000; i++) { log(line); if (i % 100 === 0) await agent('step ' + i) }\nreturn 1`,
      'storm.workflow.js',
    );
    const rehearsal = await rehearse({ script, args: undefined, projectRoot: REPO_ROOT });
    expect(rehearsal.status).toBe('done');
    expect(rehearsal.logs).toHaveLength(3);
    expect(rehearsal.warnings.filter((text) => text.startsWith('log: per-run cap'))).toHaveLength(1);
  });

  it('BD-16 an invalid override is a USAGE error naming the variable', async () => {
    process.env.DYNAFLOW_LOG_LINES = 'lots';
    const outcome = await harness.runText(`${META}\nlog('x')\nreturn 1`);
    expect(outcome.error).toMatchObject({ code: 'USAGE' });
    expect(outcome.error?.message).toContain('DYNAFLOW_LOG_LINES');
  });
});

describe('warning storms', () => {
  it('BD-17 20,000 unknown agent() option keys give one warning naming a few, and repeats are said once', async () => {
    const outcome = await harness.runText(
      `${META}\nconst options = {}\nfor (let i = 0; i < 20000; i++) options['k' + i] = 1\nawait agent('a', options)\nawait agent('b', options)\nawait agent('c', { bogus: 1 })\nreturn 1`,
    );
    expect(outcome.status).toBe('done');
    expect(eventsOf(outcome.runId, 'warning')).toEqual([
      'unknown agent() options "k0", "k1", "k2" and 19,997 more (ignored)',
      'unknown agent() option "bogus" (ignored)',
    ]);
  });
});
