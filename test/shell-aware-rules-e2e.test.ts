/**
 * SR-12: a real run on the simulator, with deny `Bash(rm:*)` in the project's settings: every
 * way finding 7 used to delete a file through exec() is refused (PERMISSION_DENIED) and the file
 * survives; so does an agent's Bash tool call through `env rm`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, createProject, META, type Project } from './helpers/agent-project.js';
import type { Harness } from './helpers/harness.js';
import type { BehaviourRequest, SimBehaviour } from '../src/sim/index.js';

let project: Project | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  await project?.remove();
  harness = undefined;
  project = undefined;
});

const VARIANTS = [
  '/bin/rm f',
  'command rm f',
  'env rm f',
  "'rm' f",
  'r\\m f',
  'x=rm; $x f',
  'bash -c "rm f"',
  'eval rm f',
  'echo f | xargs rm',
];

describe('deny Bash(rm:*) end to end', () => {
  it('SR-12 exec() refuses every variant and the file survives; an agent Bash call through env rm is refused too', async () => {
    project = await createProject({
      f: 'keep\n',
      '.dynaflow/settings.json': JSON.stringify({ permissions: { deny: ['Bash(rm:*)'] } }),
    });
    const requests: BehaviourRequest[] = [];
    const behaviour: SimBehaviour = {
      respond(request) {
        if (request.sim.firstUserText.includes('delete attempt')) requests.push(request);
        return undefined;
      },
    };
    harness = await agentHarness(project, { behaviour });
    const prompt = ['delete attempt', '@sim tool Bash {"command":"env rm f"}', '@sim reply tried'].join('\n');
    const outcome = await harness.runText(
      `${META}
      const codes = []
      for (const command of ${JSON.stringify(VARIANTS)}) {
        try { await exec(command); codes.push('ran') } catch (e) { codes.push(e.code) }
      }
      const listed = await exec('ls f')
      const reply = await agent(${JSON.stringify(prompt)})
      return { codes, listed: listed.stdout.trim(), reply }`,
    );
    const result = outcome.result as { codes: string[]; listed: string; reply: string };
    expect(result.codes).toEqual(VARIANTS.map(() => 'PERMISSION_DENIED'));
    expect(result.listed).toBe('f');
    expect(result.reply).toBe('tried');
    const toolResults = requests.flatMap((request) => request.sim.toolResults);
    expect(toolResults.map((toolResult) => toolResult.isError)).toEqual([true]);
    expect(toolResults[0]?.content).toMatch(/^PERMISSION_DENIED/);
    expect(existsSync(path.join(project.root, 'f'))).toBe(true);
  });
});
