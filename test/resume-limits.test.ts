/**
 * RS-20..: runs that stop on their own — an exhausted budget, a provider outage — and resume; edit
 * and re-run with `--reuse`; API keys never written anywhere. Through the real CLI against an
 * external simulator.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dynaflow,
  readJournalFile,
  runIdOf,
  scratchProject,
  simEnvironment,
  startExternalSim,
  type ExternalSim,
} from './resume-support.js';

let sim: ExternalSim;
beforeAll(async () => {
  sim = await startExternalSim(5);
});
afterAll(async () => sim.stop());

interface ShownRun {
  readonly run: { readonly status: string; readonly reuseFrom: string | null };
  readonly phases: readonly {
    readonly title: string | null;
    readonly calls: readonly {
      readonly label: string;
      readonly reusedFrom: string | null;
      readonly status: string;
    }[];
  }[];
  readonly totals: { readonly reused: number; readonly live: number; readonly calls: number };
}

describe('ceilings and outages', () => {
  it('RS-20 an exhausted budget exits 3; resume without more budget stops again paying nothing; resume --budget higher finishes', async () => {
    const env = simEnvironment(sim);
    const scratch = scratchProject('rs20');
    const script = scratch.script(
      'steps.workflow.js',
      `export const meta = { name: 'steps', description: 'sequential steps' }
const out = []
for (let i = 0; i < 6; i++) out.push(await agent('step ' + i + '\\n@sim tokens 5 100\\n@sim reply done ' + i))
return out
`,
    );
    const before = await sim.requests();
    const first = await dynaflow(['run', script, '--yes', '--budget', '250'], scratch, env);
    expect(first.code).toBe(3);
    expect(first.stdout).toBe('');
    const runId = runIdOf(first.stderr);
    expect(first.stderr).toContain(`dynaflow resume ${runId}`);
    const paid = (await sim.requests()) - before;
    const done = readJournalFile(scratch, (db) =>
      db.prepare(`SELECT count(*) FROM calls WHERE run_id = ? AND status = 'done'`).pluck().get(runId),
    ) as number;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(6);

    // The budget bounds the whole run: what was spent before the stop still counts.
    const again = await dynaflow(['resume', runId], scratch, env);
    expect(again.code).toBe(3);
    expect((await sim.requests()) - before).toBe(paid);

    const resumed = await dynaflow(['resume', runId, '--budget', '2000', '--quiet'], scratch, env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual(Array.from({ length: 6 }, (_, i) => `done ${i}`));
    // Only the steps that had not finished were requested.
    expect((await sim.requests()) - before - paid).toBe(6 - done);
  });

  it('RS-21 a provider outage (500s) fails agents, the script throws (exit 1); resume re-runs only the failed calls', async () => {
    const env = { ...simEnvironment(sim), DYNAFLOW_MAX_ATTEMPTS: '2' };
    const scratch = scratchProject('rs21');
    // Agents 3, 7 and 11 meet an outage longer than their 2 attempts; the rest answer.
    const script = scratch.script(
      'outage.workflow.js',
      `export const meta = { name: 'outage', description: 'outage' }
const answers = await parallel(Array.from({ length: 12 }, (_, i) => () =>
  agent('part ' + i + (i % 4 === 3 ? '\\n@sim fail 500 times 2' : '') + '\\n@sim reply part ' + i + ' ok')))
const missing = answers.filter((a) => a === null).length
if (missing > 0) throw new Error(missing + ' parts failed')
return answers
`,
    );
    const before = await sim.requests();
    const first = await dynaflow(['run', script, '--yes', '--quiet'], scratch, env);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('3 parts failed');
    const runId = runIdOf(first.stderr);
    expect((await sim.requests()) - before).toBe(9 + 3 * 2);
    const failed = readJournalFile(scratch, (db) =>
      db
        .prepare(`SELECT label FROM calls WHERE run_id = ? AND status = 'failed' ORDER BY label`)
        .pluck()
        .all(runId),
    );
    expect(failed).toEqual(['part 11', 'part 3', 'part 7']);

    const resumed = await dynaflow(['resume', runId, '--quiet'], scratch, env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `part ${i} ok`));
    expect(resumed.stderr).toContain('9 from journal, 3 live');
    expect((await sim.requests()) - before).toBe(9 + 3 * 2 + 3);
  });
});

describe('edit and re-run with --reuse', () => {
  const pipelineScript = (
    stageOne: string,
  ): string => `export const meta = { name: 'review', description: 'two stages' }
const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts']
return await pipeline(files,
  (file) => agent('${stageOne} ' + file, { label: 'one:' + file, phase: 'One' }),
  (summary, file) => agent('Review ' + file + ' for bugs', { label: 'two:' + file, phase: 'Two' }).then((review) => ({ file, summary, review })))
`;

  it('RS-22 a pipeline whose stage 1 changed reuses every unchanged stage-2 call; an unchanged re-run makes no request', async () => {
    const env = simEnvironment(sim);
    const scratch = scratchProject('rs22');
    const file = scratch.script('review.workflow.js', pipelineScript('Summarise'));
    const first = await dynaflow(['run', file, '--yes', '--quiet'], scratch, env);
    expect(first.code).toBe(0);
    const firstId = runIdOf(first.stderr);

    // Edit stage 1 only; stage 2's calls are identical and come before nothing in particular.
    writeFileSync(file, pipelineScript('Summarise briefly'));
    const before = await sim.requests();
    const edited = await dynaflow(['run', file, '--yes', '--quiet', '--reuse', firstId], scratch, env);
    expect(edited.code).toBe(0);
    expect((await sim.requests()) - before).toBe(6);
    expect(edited.stderr).toContain('6 from journal, 6 live');
    const editedId = runIdOf(edited.stderr);
    const results = JSON.parse(edited.stdout) as { file: string; review: string }[];
    expect(results.map((r) => r.review)).toEqual(
      (JSON.parse(first.stdout) as { review: string }[]).map((r) => r.review),
    );

    const shown = JSON.parse((await dynaflow(['show', editedId, '--json'], scratch)).stdout) as ShownRun;
    expect(shown.run.reuseFrom).toBe(firstId);
    expect(shown.totals).toMatchObject({ calls: 12, reused: 6, live: 6 });
    const two = shown.phases.find((phase) => phase.title === 'Two');
    expect(two?.calls.map((call) => call.reusedFrom)).toEqual(Array(6).fill(firstId));
    const one = shown.phases.find((phase) => phase.title === 'One');
    expect(one?.calls.every((call) => call.reusedFrom === null)).toBe(true);

    // The same script again, reusing the edited run: nothing is requested at all.
    const same = await dynaflow(['run', file, '--yes', '--quiet', '--reuse', editedId], scratch, env);
    expect(same.code).toBe(0);
    expect((await sim.requests()) - before).toBe(6);
    expect(same.stderr).toContain('12 from journal, 0 live');
    expect(JSON.parse(same.stdout)).toEqual(results);
  });
});

describe('secrets', () => {
  it('RS-23 an API key given in the environment, the args and a prompt reaches no journal file, log or transcript', async () => {
    const key = `sk-ant-api03-${randomBytes(24).toString('base64url')}`;
    const env = simEnvironment(sim, key);
    const scratch = scratchProject('rs23');
    const script = scratch.script(
      'keys.workflow.js',
      `export const meta = { name: 'keys', description: 'keys' }
const answers = await parallel([0, 1, 2].map((i) => () => agent('use the key ' + args.key + ' for part ' + i)))
log('used ' + args.key)
return answers.filter((a) => a !== null).length
`,
    );
    const result = await dynaflow(['run', script, '--yes', '--args', JSON.stringify({ key })], scratch, env);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('3');
    const runId = runIdOf(result.stderr);

    const files = listFiles(scratch.stateDir);
    expect(files.some((name) => name.endsWith('dynaflow.db'))).toBe(true);
    for (const name of files) {
      const bytes = readFileSync(name);
      expect(bytes.includes(key), `${name} holds the key`).toBe(false);
      expect(bytes.includes(key.slice(14, 40)), `${name} holds part of the key`).toBe(false);
    }
    // The run itself was recorded (the key masked, not the records lost).
    const prompts = readJournalFile(scratch, (db) =>
      db.prepare(`SELECT prompt FROM calls WHERE run_id = ?`).pluck().all(runId),
    ) as string[];
    expect(prompts).toHaveLength(3);
    expect(prompts.every((prompt) => prompt.startsWith('use the key '))).toBe(true);
  });
});

function listFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
