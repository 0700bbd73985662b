/**
 * Transcripts of agents finishing together are written as one batch: the file must still hold
 * every chunk whole, in completion order, redacted, and a write resolves only once it is on disk.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { readTranscripts, TranscriptWriter, transcriptsFile } from './transcripts.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const header = (callKey: string) => ({
  runId: 'wf_test',
  callKey,
  label: callKey,
  status: 'done',
  model: 'claude-sonnet-4-5',
  workspace: '/tmp/w',
  worktree: null,
  branch: null,
  error: null,
});

describe('TranscriptWriter', () => {
  it('writes chunks of the same tick and of later ticks whole and in order', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-transcripts-'));
    dirs.push(stateDir);
    const writer = new TranscriptWriter(stateDir, 'wf_test', { MY_API_KEY: 'supersecretvalue1' });
    const together = ['a', 'b', 'c'].map((key) =>
      writer.write(header(key), [{ kind: 'prompt', text: `task ${key} supersecretvalue1` }]),
    );
    await Promise.all(together);
    // Resolved means written: the batch is in the file before close().
    const early = await readFile(transcriptsFile(stateDir, 'wf_test'), 'utf8');
    expect(early.trim().split('\n')).toHaveLength(6);
    await writer.write(header('d'), [{ kind: 'prompt', text: 'task d' }]);
    await writer.close();

    const transcripts = await readTranscripts(stateDir, 'wf_test');
    expect(transcripts.map((transcript) => transcript.header.callKey)).toEqual(['a', 'b', 'c', 'd']);
    expect(transcripts.map((transcript) => transcript.lines.length)).toEqual([1, 1, 1, 1]);
    const text = await readFile(transcriptsFile(stateDir, 'wf_test'), 'utf8');
    expect(text).not.toContain('supersecretvalue1');
    expect(text).toContain('task a ***');
  });

  it('rejects every write of a batch when the file cannot be opened', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-transcripts-'));
    dirs.push(stateDir);
    // A file where the runs directory should be makes mkdir fail.
    await writeFile(path.join(stateDir, 'runs'), 'x');
    const writer = new TranscriptWriter(stateDir, 'wf_test', {});
    const results = await Promise.allSettled([writer.write(header('a'), []), writer.write(header('b'), [])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
