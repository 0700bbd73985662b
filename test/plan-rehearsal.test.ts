/**
 * PL-*: the plan card's numbers come from a rehearsal: agents are counted by running the script
 * on an in-process simulator, prompt tokens are measured, and nothing real is touched.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/runtime/index.js';
import { estimatePlan, rehearse, renderPlanCard } from '../src/planner/index.js';
import { parseScript } from '../src/script/index.js';
import { REPO_ROOT } from './helpers/harness.js';

const FANOUT = `export const meta = {
  name: 'fanout',
  description: 'Check 37 modules, then summarise',
  phases: [{ title: 'Check modules', detail: 'one agent per module' }, { title: 'Summarise' }],
}
phase('Check modules')
const modules = Array.from({ length: 37 }, (_, i) => 'module-' + i)
const checks = await parallel(modules.map((m) => () => agent('Check ' + m + ' for dead code', { label: 'check:' + m })))
phase('Summarise')
return await agent('Summarise these results: ' + checks.length, { label: 'summary' })
`;

describe('rehearsal', () => {
  it('PL-01 counts 37 agents in one phase and 1 in another, with prompt tokens and a cost', async () => {
    const script = parseScript(FANOUT, 'fanout.workflow.js');
    const rehearsal = await rehearse({ script, args: undefined, projectRoot: REPO_ROOT });
    expect(rehearsal.status).toBe('done');
    const plan = estimatePlan(script.meta, rehearsal, DEFAULT_LIMITS);
    expect(plan.phases.map((p) => [p.title, p.agents])).toEqual([
      ['Check modules', 37],
      ['Summarise', 1],
    ]);
    expect(plan.total.agents).toBe(38);
    const check = plan.phases[0]!;
    expect(check.inputTokens + check.cacheReadTokens + check.cacheWriteTokens).toBeGreaterThan(37 * 5);
    expect(check.costUsd.low).toBeGreaterThan(0);
    expect(check.costUsd.high).toBeGreaterThanOrEqual(check.costUsd.low);
    const card = renderPlanCard(plan, { scriptPath: 'fanout.workflow.js', provider: 'anthropic' });
    expect(card).toContain('Check modules');
    expect(card).toContain('Summarise');
    expect(card).toMatch(/total\s+38/);
    expect(card).toMatch(/\$\d+\.\d\d/);
  });

  it('PL-02 exec() is recorded, never run, and worktree agents are counted', async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-plan-'));
    const marker = path.join(scratch, 'ran');
    const script = parseScript(
      `export const meta = { name: 'x', description: 'y' }
const r = await exec('touch ${marker}')
await agent('Change it', { isolation: 'worktree', label: 'w' })
return r`,
      path.join(scratch, 'x.workflow.js'),
    );
    const rehearsal = await rehearse({ script, args: undefined, projectRoot: scratch });
    expect(rehearsal.status).toBe('done');
    expect(rehearsal.result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(rehearsal.commands.map((c) => c.command)).toEqual([`touch ${marker}`]);
    expect(readdirSync(scratch)).toEqual([]);
    const plan = estimatePlan(script.meta, rehearsal, DEFAULT_LIMITS);
    expect(plan.worktreeAgents).toBe(1);
    expect(plan.commands).toEqual([`touch ${marker}`]);
  });
});
