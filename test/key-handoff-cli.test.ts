/**
 * KS-20..: provider keys out of reach of the commands dynaflow runs, even without the OS sandbox
 * (issue 12, finding 1). Through the real `bin/dynaflow.js` (built dist/) against an external
 * simulator that refuses requests without a credential, the key passed only in the environment.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { encodedForms } from '../src/environment/index.js';
import {
  readJournalFile,
  runIdOf,
  scratchProject,
  simEnvironment,
  spawnDynaflow,
  startExternalSim,
  type ExternalSim,
  type Scratch,
} from './resume-support.js';

// Long enough that `base64` (76 columns) wraps it, shaped like a real key.
const KEY = `sk-ant-test-${'Ab3_Cd4-Ef5Gh6'.repeat(6)}KS20`;

/** The forms that must appear nowhere: the key, its base64 (any alignment), hex, reversed… */
const FORMS = encodedForms(KEY);

// Every ancestor of the command, walked up through PPid: its environment block as raw bytes.
const WALK_ANCESTORS = [
  'mkdir -p environs',
  'pid=$$',
  'while [ "$pid" -gt 1 ]; do',
  '  cat /proc/$pid/environ > environs/$pid 2>/dev/null',
  `  ppid=$(awk '/^PPid:/{print $2}' /proc/$pid/status)`,
  '  echo $ppid > environs/$pid.ppid',
  '  pid=$ppid',
  'done',
].join('\n');

const LEAK = `export const meta = { name: 'leak', description: 'a command after the keys' }
const parent = await exec(${JSON.stringify('tr "\\0" "\\n" < /proc/$PPID/environ | grep API_KEY | base64 -w0')})
const ancestors = await exec(${JSON.stringify(WALK_ANCESTORS)})
const encoded = await exec('base64 -w0 key.txt; echo; base64 key.txt; xxd -p key.txt; rev key.txt; base64 -w0 key.txt | rev')
log('encoded: ' + encoded.stdout)
const answer = await agent('say hi\\n@sim reply hello ' + encoded.stdout.slice(0, 40))
return { parent: parent.stdout, ancestors: ancestors.code, encoded: encoded.stdout, answer }
`;

interface LeakRun {
  readonly scratch: Scratch;
  readonly launcherPid: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let sim: ExternalSim;
/** One run serves every test below: each asserts a different place the key must not be. */
let leak: LeakRun;
beforeAll(async () => {
  sim = await startExternalSim(1);
  const scratch = scratchProject('ks20');
  writeFileSync(path.join(scratch.dir, 'key.txt'), `${KEY}\n`);
  const script = scratch.script('leak.workflow.js', LEAK);
  // Without the OS sandbox: the defence under test must hold on its own.
  const live = spawnDynaflow(['run', script, '--yes', '--quiet'], scratch, {
    ...simEnvironment(sim, KEY),
    DYNAFLOW_SANDBOX: 'off',
  });
  const ended = await live.exited;
  leak = {
    scratch,
    launcherPid: live.child.pid ?? -1,
    code: ended.code,
    stdout: live.stdout(),
    stderr: live.stderr(),
  };
});
afterAll(async () => sim.stop());

/** Every file under a folder, as text (transcripts, logs). */
function filesUnder(folder: string): { file: string; text: string }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, text: readFileSync(file).toString('latin1') }));
}

function expectNoForm(where: string, text: string): void {
  for (const form of FORMS) expect(text.includes(form), `${where} holds ${form}`).toBe(false);
}

describe('keys out of reach without the OS sandbox', () => {
  it('KS-20 no dynaflow process holds the key in its environment block; the run still authenticates', () => {
    const { scratch, launcherPid } = leak;
    expect(leak.code, leak.stderr).toBe(0);
    const result = JSON.parse(leak.stdout) as { parent: string; ancestors: number; answer: string };
    // The simulator answers only a request carrying the key: it reached the runtime's provider.
    expect(result.answer).toMatch(/^hello/);
    expect(result.ancestors).toBe(0);
    expect(result.parent).toBe('');

    const environs = path.join(scratch.dir, 'environs');
    const parentOf = (pid: string): number =>
      Number(readFileSync(path.join(environs, `${pid}.ppid`), 'utf8'));
    const walked = readdirSync(environs).filter((name) => /^\d+$/.test(name));
    // The launcher the test started, and the runtime it started (the command's shell's parent).
    const runtime = walked.find((pid) => parentOf(pid) === launcherPid);
    expect(walked).toContain(String(launcherPid));
    expect(runtime).toBeDefined();
    for (const pid of [String(launcherPid), String(runtime)]) {
      const block = readFileSync(path.join(environs, pid)).toString('latin1');
      expect(block.length, `environ of ${pid}`).toBeGreaterThan(0);
      expectNoForm(`/proc/${pid}/environ`, block);
    }
  });

  it('KS-21 neither the key nor its base64, hex or reversed forms reach the journal, transcripts, logs or output', () => {
    const { scratch } = leak;
    expect(leak.code, leak.stderr).toBe(0);
    const runId = runIdOf(leak.stderr);
    const { encoded } = JSON.parse(leak.stdout) as { encoded: string };
    // The commands did print the key's forms; each came back masked.
    expect(encoded.split('\n').filter((line) => line.includes('***')).length).toBeGreaterThanOrEqual(4);

    expectNoForm('stdout', leak.stdout);
    expectNoForm('stderr', leak.stderr);
    const rows = readJournalFile(scratch, (db) => {
      const texts: string[] = [];
      for (const table of ['runs', 'calls', 'events']) {
        for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
          texts.push(JSON.stringify(row));
        }
      }
      return texts.join('\n');
    });
    expect(rows).toContain(runId);
    expectNoForm('journal rows', rows);
    for (const { file, text } of filesUnder(scratch.stateDir)) expectNoForm(file, text);
  });
});
