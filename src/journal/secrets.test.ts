import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodedForms } from '../environment/index.js';
import { openJournal } from './index.js';
import { completionInput, newCallInput, newRunInput } from './internal/test-fixtures.js';

const ANTHROPIC_KEY = 'sk-ant-api03-QWERTYUIOPasdfghjkl0123456789';
const ODD_KEY = 'custom-gateway-key-7f3a9b';

/** Every byte SQLite may hold the text in: the database file and its write-ahead log. */
function rawBytes(stateDir: string): string {
  return ['dynaflow.db', 'dynaflow.db-wal']
    .map((name) => join(stateDir, name))
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}

describe('secrets never reach the journal', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-secrets-'));
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('masks keys in scripts, args, prompts, options, results, errors and logs', async () => {
    const journal = openJournal({ stateDir, secrets: [ODD_KEY] });
    const run = journal.createRun(
      newRunInput({
        scriptText: `const key = '${ANTHROPIC_KEY}'`,
        argsJson: JSON.stringify({ token: ODD_KEY }),
      }),
    );
    journal.startCall(
      newCallInput(run.id, 'k', {
        prompt: `Call the API with x-api-key: ${ANTHROPIC_KEY}`,
        optionsJson: JSON.stringify({ headers: { authorization: `Bearer ${ODD_KEY}` } }),
      }),
    );
    await journal.completeCall(
      completionInput(run.id, 'k', {
        status: 'failed',
        resultJson: JSON.stringify({ echoed: ANTHROPIC_KEY }),
        error: `401 from gateway for key ${ODD_KEY}`,
      }),
    );
    journal.appendEvent(run.id, 'log', `using ${ANTHROPIC_KEY}`);
    journal.updateRun(run.id, { status: 'failed', error: `env ANTHROPIC_API_KEY=${ANTHROPIC_KEY}` });
    await journal.flush();

    // While open (records in the write-ahead log) and after close (checkpointed into the file).
    for (const stage of ['open', 'closed']) {
      const bytes = rawBytes(stateDir);
      expect(bytes.length, stage).toBeGreaterThan(0);
      expect(bytes.includes(ANTHROPIC_KEY), stage).toBe(false);
      expect(bytes.includes(ODD_KEY), stage).toBe(false);
      expect(bytes.includes('QWERTYUIOP'), stage).toBe(false);
      if (stage === 'open') journal.close();
    }

    // What was written is still usable: the redacted result is valid JSON.
    const reader = openJournal({ stateDir, readonly: true });
    const call = reader.listCalls(run.id)[0];
    expect(JSON.parse(call?.resultJson ?? 'null')).toEqual({ echoed: 'sk-ant-***' });
    expect(reader.listEvents(run.id)[0]?.text).toBe('using sk-ant-***');
    reader.close();
  });

  it('KS-11 masks encoded copies of a known key in what the store writes (exec output of base64, xxd -p, rev)', async () => {
    const journal = openJournal({ stateDir, secrets: [ODD_KEY] });
    const run = journal.createRun(newRunInput());
    journal.startCall(newCallInput(run.id, 'k'));
    const environ = `PATH=/usr/bin\0GATEWAY_KEY=${ODD_KEY}\0HOME=/root\0`;
    const stdout = [
      Buffer.from(environ).toString('base64'),
      Buffer.from(ODD_KEY).toString('hex'),
      [...ODD_KEY].reverse().join(''),
    ].join('\n');
    await journal.completeCall(
      completionInput(run.id, 'k', { resultJson: JSON.stringify({ code: 0, stdout }) }),
    );
    journal.close();
    const bytes = rawBytes(stateDir);
    for (const line of stdout.split('\n')) expect(bytes.includes(line)).toBe(false);
    for (const form of encodedForms(ODD_KEY)) expect(bytes.includes(form), form).toBe(false);
  });
});
