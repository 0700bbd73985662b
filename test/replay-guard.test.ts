/**
 * RG-* — the replay guard. Resume and `--reuse` find a journaled call by its key
 * (`hash(prompt, behaviour options, model)#occurrence`, src/runtime/call-identity.ts), so a
 * journal written by today's dynaflow must keep answering every call of the same script after any
 * change. Two nets:
 *
 * - RG-01 pins the keys the runtime really journals for a script touching every part of a key
 *   (occurrences, schema, agentType, effort/maxTurns, model option, exec command and cwd): it
 *   catches a change in how a key is composed, not only in the hash function.
 * - RG-02… re-run the committed journals of real example runs (test/journals/, README there) with
 *   `--reuse` through the real CLI against the simulator: zero model requests, the same result.
 *
 * A failure here means old journals stop replaying: ship a journal migration that rewrites their
 * keys, then re-record the fixtures (test/journals/record.sh) and update RG-01's constants.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal, parseJournalSnapshot, type JournalSnapshot } from '../src/journal/index.js';
import { createHarness, REPO_ROOT, type Harness } from './helpers/harness.js';
import {
  dynaflow,
  scratchProject,
  simEnvironment,
  startExternalSim,
  type ExternalSim,
  type Scratch,
} from './resume-support.js';

const MIGRATE =
  'a call key changed: journals written by earlier versions will not replay (resume and --reuse re-run every call). ' +
  'Ship a journal migration that rewrites old keys, then re-record test/journals (see its README).';

const JOURNALS = path.join(REPO_ROOT, 'test', 'journals');

describe('RG-01 call keys journaled by the runtime are pinned', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createHarness({ latencyMs: 0 });
  });
  afterAll(() => harness.close());

  it('RG-01 every kind of call keeps the key it had when this test was written', async () => {
    const outcome = await harness.runText(
      `export const meta = { name: 'pinned-keys', description: 'one call of every kind' };
      const SCHEMA = { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['bug', 'flaky'] } } };
      await agent('Summarise intro.md in one line', { label: 'plain' });
      await agent('Summarise intro.md in one line', { label: 'plain again', phase: 'Other' });
      await agent('Classify the failure of a.test.ts', { label: 'schema', schema: SCHEMA });
      await agent('Re-read a.ts', { label: 'agentType', agentType: 'Explore' });
      await agent('Fix a.ts', { label: 'effort', effort: 'high', maxTurns: 5 });
      await agent('Fix a.ts', { label: 'model', model: 'opus' });
      await exec('echo pinned');
      await exec('echo pinned', { cwd: 'src' });
      return 'ok';
      `,
      undefined,
      { model: 'sonnet' },
    );
    expect(outcome.status).toBe('done');
    const keys = harness.journal
      .exportRun(outcome.runId)
      // exec calls have no label of their own: they are told apart by their working directory.
      .calls.map((call) =>
        call.kind === 'exec'
          ? `exec cwd=${String((JSON.parse(call.optionsJson) as { cwd?: unknown }).cwd)} ${call.callKey}`
          : `${call.label} ${call.callKey}`,
      )
      .sort();
    // Literal constants computed once (2026-12-08); never regenerate them without a migration.
    const pinned = [
      'agentType 22f37cad6fcce80c2fa66e91#1',
      'effort 36b3a05f21dedc3b1615f5be#1',
      'exec cwd=. 23ff7a8c512da9c6fb829702#1',
      'exec cwd=src 0d39966ca235c0f0f231c0f5#1',
      'model 68e24022b69489c178136aac#1',
      'plain 94c2cb414ef0c97d2127c3f1#1',
      'plain again 94c2cb414ef0c97d2127c3f1#2',
      'schema 54c0ead09f417351e0135c71#1',
    ];
    expect(keys, MIGRATE).toEqual(pinned);
  });
});

/** A committed fixture: the snapshot, and the files its script reads besides itself. */
interface GoldenJournal {
  readonly name: string;
  readonly snapshot: JournalSnapshot;
}

function readGoldenJournals(): GoldenJournal[] {
  return readdirSync(JOURNALS)
    .filter((file) => file.endsWith('.snapshot.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.snapshot\.json$/, ''),
      snapshot: parseJournalSnapshot(
        JSON.parse(readFileSync(path.join(JOURNALS, file), 'utf8')),
        `test/journals/${file}`,
      ),
    }));
}

/**
 * A project holding the run's script as it was recorded (not today's examples/, which may be
 * edited freely) plus the child scripts the fixtures need, and a journal holding the imported run.
 */
function projectWithJournal(golden: GoldenJournal): { scratch: Scratch; script: string } {
  const scratch = scratchProject(`replay-guard-${golden.name}`);
  const scripts = path.join(JOURNALS, 'scripts');
  if (existsSync(scripts)) cpSync(scripts, scratch.dir, { recursive: true });
  const script = path.join('examples', path.basename(golden.snapshot.run.scriptPath));
  scratch.script(script, golden.snapshot.run.scriptText);
  const journal = openJournal({ stateDir: scratch.stateDir });
  try {
    journal.importRun(golden.snapshot);
  } finally {
    journal.close();
  }
  return { scratch, script };
}

const goldenJournals = readGoldenJournals();

describe('RG-02 committed journals of real runs replay with zero model requests', () => {
  let sim: ExternalSim;
  const scratchDirs: string[] = [];
  beforeAll(async () => {
    sim = await startExternalSim(0);
  });
  afterAll(async () => {
    await sim.stop();
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('RG-02 test/journals holds at least the three recorded example runs', () => {
    expect(goldenJournals.map((golden) => golden.name)).toEqual(
      expect.arrayContaining(['parent', 'review', 'string-args']),
    );
    for (const golden of goldenJournals) {
      expect(golden.snapshot.run.status, golden.name).toBe('done');
      expect(golden.snapshot.calls.length, golden.name).toBeGreaterThan(0);
    }
  });

  it.each(goldenJournals.map((golden) => [golden.name, golden] as const))(
    'RG-03 %s: `run --reuse` answers every call from the journal and returns the recorded result',
    async (_name, golden) => {
      const { scratch, script } = projectWithJournal(golden);
      scratchDirs.push(scratch.dir);
      const recorded = golden.snapshot.run;
      const before = await sim.requests();
      const result = await dynaflow(
        ['run', script, '--yes', '--quiet', '--args', recorded.argsJson ?? 'null', '--reuse', recorded.id],
        scratch,
        simEnvironment(sim),
      );
      expect(result.code, result.stderr).toBe(0);
      expect(await sim.requests(), MIGRATE).toBe(before);

      const journal = openJournal({ stateDir: scratch.stateDir, readonly: true });
      try {
        const rerun = journal.listRuns().find((run) => run.id !== recorded.id);
        expect(rerun, result.stderr).toBeDefined();
        const replayed = journal.exportRun(rerun?.id ?? '');
        expect(replayed.run.status).toBe('done');
        expect(replayed.run.resultJson).toBe(recorded.resultJson);
        const keysOf = (snapshot: JournalSnapshot) => snapshot.calls.map((call) => call.callKey).sort();
        expect(keysOf(replayed), MIGRATE).toEqual(keysOf(golden.snapshot));
        expect(replayed.calls.every((call) => call.reusedFrom === recorded.id)).toBe(true);
      } finally {
        journal.close();
      }
    },
  );
});
