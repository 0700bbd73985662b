/**
 * UC-1*: the planner loop on the in-memory provider: what the planner is given, repairs of
 * scripts that fail the rehearsal, and the bound on repair rounds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynaflowError } from '../errors/index.js';
import { createScriptedProvider, scriptedResponse, toolUse } from '../providers/index.js';
import { ManualClock } from '../scheduler/index.js';
import { rehearse } from './rehearsal.js';
import { planWorkflow } from './ultracode.js';

const GOOD = "export const meta = { name: 'good', description: 'works' }\nreturn await agent('do it')\n";
/** Valid syntax, but it throws when run without args: only the rehearsal finds that. */
const THROWS =
  "export const meta = { name: 'bad', description: 'throws' }\nreturn args.files.map((f) => f)\n";

function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-planner-'));
  writeFileSync(path.join(root, 'package.json'), '{}\n');
  return root;
}

function answers(...scripts: string[]) {
  return createScriptedProvider((_request, index) =>
    scriptedResponse([
      toolUse('StructuredOutput', {
        name: 'x',
        description: 'y',
        script: scripts[Math.min(index, scripts.length - 1)],
      }),
    ]),
  );
}

describe('planWorkflow', () => {
  it('UC-10 the planner gets the script API, the project listing and the task; model opus, effort high', async () => {
    const root = project();
    const provider = answers(GOOD);
    const planned = await planWorkflow({
      task: 'make it faster',
      provider,
      projectRoot: root,
      tools: [],
      rehearse: (script) => rehearse({ script, args: undefined, projectRoot: root }),
    });
    expect(planned.rounds).toBe(1);
    expect(planned.script.meta.name).toBe('good');
    const request = provider.requests[0]!;
    expect(request.model).toBe(provider.resolveModel('opus'));
    expect(request.effort).toBe('high');
    const system = request.system.map((part) => part.text).join('\n');
    expect(system).toContain('pipeline(items, stage1, stage2, …)');
    expect(system).toContain('package.json');
    expect(JSON.stringify(request.messages[0])).toContain('make it faster');
  });

  it('UC-11 a script that fails its rehearsal goes back with the error and is repaired', async () => {
    const root = project();
    const provider = answers(THROWS, GOOD);
    const planned = await planWorkflow({
      task: 't',
      provider,
      projectRoot: root,
      tools: [],
      rehearse: (script) => rehearse({ script, args: undefined, projectRoot: root }),
    });
    expect(planned.rounds).toBe(2);
    expect(planned.repairs[0]?.[0]).toMatch(/^rehearsal failed: .*SCRIPT_THREW/);
    expect(JSON.stringify(provider.requests[1]?.messages[0])).toContain('rehearsal failed');
  });

  it('UC-12 after the bounded rounds the planner gives up with PLAN_INVALID', async () => {
    const root = project();
    const provider = answers('export const meta = { name: "x" }\n');
    const error = await planWorkflow({
      task: 't',
      provider,
      projectRoot: root,
      tools: [],
      maxRounds: 2,
      clock: new ManualClock(),
      rehearse: (script) => rehearse({ script, args: undefined, projectRoot: root }),
    }).catch((caught: unknown) => caught);
    expect(DynaflowError.isInstance(error) && error.code).toBe('PLAN_INVALID');
    expect(provider.requests).toHaveLength(2);
  });
});
