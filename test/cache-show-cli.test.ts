/**
 * CA-10: `dynaflow show ID` reports the share of prompt tokens read from cache, for a fan-out that
 * shares a guide run through the CLI (`--provider sim`). CA-11: settings `prices` decide the cost
 * the journal records (a local model, a Bedrock application profile).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustProject } from '../src/settings/index.js';
import { runCli, TEST_HOME } from './helpers/cli.js';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-cache-show-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('dynaflow show', () => {
  it('CA-10 prints the cache hit share of a run whose agents share a guide', async () => {
    const file = path.join(scratch, 'guide.workflow.js');
    writeFileSync(
      file,
      `export const meta = { name: 'guide', description: 'six reviews with one guide' }
const guide = Array.from({ length: 200 }, (_, i) => 'Rule ' + i + ': keep functions small and tested.').join('\\n')
const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts']
return (await parallel(files.map((f) => () => agent(guide + '\\n\\nReview ' + f, { label: f })))).length
`,
    );
    const stateDir = path.join(scratch, 'state');
    const run = await runCli(['run', file, '--provider', 'sim', '--yes', '--quiet', '--state-dir', stateDir]);
    expect(run.code).toBe(0);
    const runId = /^run (wf_[a-z0-9-]+)$/m.exec(run.stderr)?.[1] ?? '';
    const shown = await runCli(['show', runId, '--state-dir', stateDir]);
    expect(shown.code).toBe(0);
    const share = Number(/cache hits (\d+)%/.exec(shown.stdout)?.[1]);
    // One agent writes the guide, five read it: well over half of all prompt tokens.
    expect(share).toBeGreaterThanOrEqual(70);
    const json = await runCli(['show', runId, '--json', '--state-dir', stateDir]);
    expect(JSON.stringify(JSON.parse(json.stdout))).toMatch(/"cacheHitShare":0\.[7-9]/);
  });

  it('CA-11 settings `prices` set what the journal charges: the given price, or 0 for `*`', async () => {
    const script = `export const meta = { name: 'priced', description: 'three agents' }
return (await parallel([1, 2, 3].map((i) => () => agent('answer ' + i)))).length
`;
    const runWithPrices = async (prices: unknown) => {
      const project = mkdtempSync(path.join(scratch, 'priced-'));
      mkdirSync(path.join(project, '.dynaflow'));
      writeFileSync(path.join(project, '.dynaflow', 'settings.json'), JSON.stringify({ prices }));
      writeFileSync(path.join(project, 'priced.workflow.js'), script);
      // A project's prices apply in a folder the user trusted.
      trustProject(project, TEST_HOME);
      const run = await runCli(['run', 'priced.workflow.js', '--provider', 'sim', '--yes', '--quiet'], {
        cwd: project,
      });
      expect(run.code).toBe(0);
      const runId = /^run (wf_[a-z0-9-]+)$/m.exec(run.stderr)?.[1] ?? '';
      const shown = await runCli(['show', runId, '--json'], { cwd: project });
      return JSON.parse(shown.stdout) as {
        totals: {
          costUsd: number;
          usage: {
            inputTokens: number;
            outputTokens: number;
            cacheReadTokens: number;
            cacheCreationTokens: number;
          };
        };
      };
    };
    const priced = await runWithPrices({
      'claude-sonnet-5-5': { input: 1, output: 2, cacheRead: 0.5, cacheWrite: 4 },
    });
    const { usage } = priced.totals;
    const expected =
      (usage.inputTokens * 1 +
        usage.outputTokens * 2 +
        usage.cacheReadTokens * 0.5 +
        usage.cacheCreationTokens * 4) /
      1_000_000;
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(priced.totals.costUsd).toBeCloseTo(expected, 10);
    const free = await runWithPrices({ '*': { input: 0, output: 0 } });
    expect(free.totals.costUsd).toBe(0);
  });
});
