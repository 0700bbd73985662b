/**
 * RS-30..: resume and inspection refuse clearly, with SPEC §3 exit codes, and never lose or
 * change records: unknown runs, finished runs, edited scripts, damaged journals, no approval.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynaflow, runIdOf, scratchProject } from './resume-support.js';

const THROWS = `export const meta = { name: 'throws', description: 'fails after one agent' }
const first = await agent('first\\n@sim reply one')
throw new Error('failing after ' + first)
`;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('resume refuses clearly', () => {
  it('RS-30 resume, show and cancel of an unknown run: RUN_NOT_FOUND, exit 2, no journal created', async () => {
    const scratch = scratchProject('rs30');
    for (const command of [
      ['resume', 'wf_nope-1'],
      ['show', 'wf_nope-1'],
      ['cancel', 'wf_nope-1'],
    ]) {
      const result = await dynaflow(command, scratch, { DYNAFLOW_PROVIDER: 'sim' });
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stderr).toContain('RUN_NOT_FOUND');
      expect(result.stdout).toBe('');
    }
    expect(existsSync(path.join(scratch.stateDir, 'dynaflow.db'))).toBe(false);
  });

  it('RS-31 a failed run (exit 1) whose script was edited: resume says SCRIPT_CHANGED (exit 2) with the --reuse hint', async () => {
    const scratch = scratchProject('rs31');
    const file = scratch.script('throws.workflow.js', THROWS);
    const failed = await dynaflow(['run', file, '--yes', '--provider', 'sim'], scratch);
    expect(failed.code).toBe(1);
    const runId = runIdOf(failed.stderr);

    writeFileSync(file, THROWS.replace('failing after', 'still failing after'));
    const resumed = await dynaflow(['resume', runId], scratch);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain('SCRIPT_CHANGED');
    expect(resumed.stderr).toContain(`--reuse ${runId}`);

    // Following the hint works, and reuses the unchanged first call.
    const rerun = await dynaflow(['run', file, '--yes', '--provider', 'sim', '--reuse', runId], scratch);
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toContain('still failing after one');
    expect(rerun.stderr).toContain('1 from journal, 0 live');
  });

  it('RS-32 resume of a finished run is RUN_NOT_RESUMABLE (exit 2); `show` prints its result', async () => {
    const scratch = scratchProject('rs32');
    const file = scratch.script(
      'ok.workflow.js',
      `export const meta = { name: 'ok', description: 'ok' }\nreturn { answer: await agent('q\\n@sim reply 42') }\n`,
    );
    const done = await dynaflow(['run', file, '--yes', '--provider', 'sim'], scratch);
    expect(done.code).toBe(0);
    const runId = runIdOf(done.stderr);
    const again = await dynaflow(['resume', runId], scratch);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('RUN_NOT_RESUMABLE');

    const shown = await dynaflow(['show', runId], scratch);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`run ${runId}  done`);
    expect(shown.stdout).toContain('"answer": "42"');
    expect(shown.stdout).toMatch(
      /✓ q \[.+\] done\n\s+in [\d.]+k? \/ out [\d.]+k? \/ cache r [\d.]+k? w [\d.]+k?, \$[\d.]+, 1 attempt, .*, 0 tool calls, live/,
    );
    const listed = await dynaflow(['runs'], scratch);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^ID\s+SCRIPT\s+STATUS\s+DONE\s+FAILED\s+TOKENS IN\/OUT\s+COST\s+AGE$/,
    );
    expect(listed.stdout).toMatch(new RegExp(`^${runId}\\s+ok\\.workflow\\.js\\s+done\\s+1\\s+0\\s`, 'm'));
  });
});

describe('damaged journals', () => {
  it('RS-33 a corrupted journal file: JOURNAL_CORRUPT (exit 2) for run, resume, runs and show, and the file is untouched', async () => {
    const scratch = scratchProject('rs33');
    const file = scratch.script('throws.workflow.js', THROWS);
    const failed = await dynaflow(['run', file, '--yes', '--provider', 'sim'], scratch);
    const runId = runIdOf(failed.stderr);
    const db = path.join(scratch.stateDir, 'dynaflow.db');
    // Damage the middle of the file (past the header), where the records live.
    const bytes = readFileSync(db);
    bytes.fill(0xa5, 4096, Math.min(bytes.length, 4096 * 3));
    writeFileSync(db, bytes);
    const before = sha256(db);
    const listing = readdirSync(scratch.stateDir).sort();

    for (const command of [
      ['resume', runId],
      ['show', runId],
      ['runs'],
      ['run', file, '--yes', '--provider', 'sim'],
    ]) {
      const result = await dynaflow(command, scratch);
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stderr).toContain('JOURNAL_CORRUPT');
      expect(result.stderr).toContain(db);
    }
    expect(sha256(db)).toBe(before);
    expect(readdirSync(scratch.stateDir).sort()).toEqual(listing);
  });

  it('RS-34 a zero-byte (truncated) journal is JOURNAL_CORRUPT and stays as it is', async () => {
    const scratch = scratchProject('rs34');
    mkdirSync(scratch.stateDir, { recursive: true });
    writeFileSync(path.join(scratch.stateDir, 'dynaflow.db'), '');
    const result = await dynaflow(['runs', '--json'], scratch);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('JOURNAL_CORRUPT');
    expect(readFileSync(path.join(scratch.stateDir, 'dynaflow.db')).length).toBe(0);
  });
});

describe('approval', () => {
  it('RS-35 without a TTY and without --yes: exit 4, and no run is recorded', async () => {
    const scratch = scratchProject('rs35');
    const file = scratch.script('throws.workflow.js', THROWS);
    const refused = await dynaflow(['run', file, '--provider', 'sim'], scratch);
    expect(refused.code).toBe(4);
    const listed = await dynaflow(['runs', '--json'], scratch);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });
});
