/**
 * Agent transcripts on disk (SPEC §2: `runs/<id>/` holds them): one JSON-lines file per agent
 * under `<stateDir>/runs/<run>/transcripts/`, a header line then the loop's entries (prompt,
 * assistant turns, tool calls with their results). Every line is redacted, so a key an agent
 * read or printed never reaches the disk.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { TranscriptEntry } from '../agent/index.js';
import { redactSecrets, secretValuesFromEnvironment } from '../journal/index.js';
import { sanitiseLabel } from '../workspace/index.js';

/** The first line of every transcript file. */
export interface TranscriptHeader {
  readonly type: 'header';
  readonly runId: string;
  readonly callKey: string;
  readonly label: string;
  readonly status: string;
  readonly model: string | null;
  readonly workspace: string;
  readonly worktree: string | null;
  readonly branch: string | null;
  readonly error: string | null;
}

export type TranscriptLine = TranscriptHeader | ({ readonly type: 'entry' } & TranscriptEntry);

export function transcriptsDirectory(stateDir: string, runId: string): string {
  return path.join(stateDir, 'runs', runId, 'transcripts');
}

/** Writes one run's transcripts; file names are the sanitised labels, made unique per call. */
export class TranscriptWriter {
  private readonly directory: string;
  private readonly claimed = new Map<string, string>();
  private readonly secrets: readonly string[];

  constructor(stateDir: string, runId: string, environment: NodeJS.ProcessEnv = process.env) {
    this.directory = transcriptsDirectory(stateDir, runId);
    this.secrets = secretValuesFromEnvironment(environment);
  }

  /** Returns the file written. A re-run of the same call (resume) overwrites its own file. */
  async write(header: Omit<TranscriptHeader, 'type'>, entries: readonly TranscriptEntry[]): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const file = path.join(this.directory, `${await this.fileName(header.label, header.callKey)}.jsonl`);
    const lines = [
      JSON.stringify({ type: 'header', ...header }),
      ...entries.map((entry) => JSON.stringify({ type: 'entry', ...entry })),
    ];
    await writeFile(file, `${lines.map((line) => redactSecrets(line, this.secrets)).join('\n')}\n`);
    return file;
  }

  private async fileName(label: string, callKey: string): Promise<string> {
    const base = sanitiseLabel(label);
    const hashed = `${base}-${createHash('sha256').update(callKey).digest('hex').slice(0, 8)}`;
    const claimant = this.claimed.get(base);
    if (claimant !== undefined) return claimant === callKey ? base : hashed;
    // Claimed before the first await, so two agents with one label never pick the same file.
    this.claimed.set(base, callKey);
    const owner = await ownerOnDisk(path.join(this.directory, `${base}.jsonl`));
    if (owner === undefined || owner === callKey) return base;
    // An earlier attempt of the run wrote this name for another call: that file stays its own.
    this.claimed.set(base, owner);
    return hashed;
  }
}

async function ownerOnDisk(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text.split('\n', 1)[0] ?? '') as TranscriptHeader).callKey;
  } catch {
    return undefined;
  }
}

/** Every transcript of a run: header and lines, in file-name order. */
export async function readTranscripts(
  stateDir: string,
  runId: string,
): Promise<{ file: string; header: TranscriptHeader; lines: TranscriptLine[] }[]> {
  const directory = transcriptsDirectory(stateDir, runId);
  const names = (await readdir(directory).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.jsonl'),
  );
  const result = [];
  for (const name of names.sort()) {
    const file = path.join(directory, name);
    const lines = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as TranscriptLine);
    const header = lines[0];
    if (header?.type === 'header') result.push({ file, header, lines: lines.slice(1) });
  }
  return result;
}

/** Writes an agent's transcript when the run has a state directory; a failure is only a warning. */
export async function saveTranscript(
  writer: TranscriptWriter | undefined,
  record: Omit<TranscriptHeader, 'type'> & {
    readonly outcome: { readonly transcript: readonly TranscriptEntry[] };
    readonly warn: (message: string) => void;
  },
): Promise<void> {
  if (!writer) return;
  const { outcome, warn, ...header } = record;
  try {
    await writer.write(header, outcome.transcript);
  } catch (error) {
    warn(`the transcript of agent "${header.label}" was not saved: ${(error as Error).message}`);
  }
}
