/**
 * Agent transcripts on disk (SPEC §2: `runs/<id>/` holds them): one append-only JSON-lines file
 * per run, `<stateDir>/runs/<run>/transcripts.jsonl`. Each agent adds one chunk — a header line,
 * then the loop's entries (prompt, assistant turns, tool calls with their results) — every line
 * tagged with its call key. One open stream per run instead of a file per agent: a 10,000-agent
 * fan-out would otherwise spend seconds opening files. Every line is redacted, so a key an agent
 * read or printed never reaches the disk. A call re-run on resume appends again; readers keep
 * the newest chunk of each call.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type { TranscriptEntry } from '../agent/index.js';
import { redactSecrets, secretValuesFromEnvironment } from '../journal/index.js';

/** The first line of every agent's chunk. */
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

export type TranscriptLine =
  TranscriptHeader | ({ readonly type: 'entry'; readonly callKey: string } & TranscriptEntry);

export function transcriptsFile(stateDir: string, runId: string): string {
  return path.join(stateDir, 'runs', runId, 'transcripts.jsonl');
}

/** Chunks waiting for the next write, and when that write is done. */
interface Batch {
  readonly chunks: string[];
  readonly written: Promise<void>;
}

/** Appends one run's transcripts to its file, one chunk per agent, in completion order. */
export class TranscriptWriter {
  private readonly file: string;
  private readonly secrets: readonly string[];
  private stream: Promise<WriteStream> | undefined;
  private batch: Batch | undefined;

  constructor(stateDir: string, runId: string, environment: NodeJS.ProcessEnv = process.env) {
    this.file = transcriptsFile(stateDir, runId);
    this.secrets = secretValuesFromEnvironment(environment);
  }

  write(header: Omit<TranscriptHeader, 'type'>, entries: readonly TranscriptEntry[]): Promise<void> {
    this.stream ??= mkdir(path.dirname(this.file), { recursive: true }).then(() =>
      createWriteStream(this.file, { flags: 'a' }),
    );
    const lines = [
      JSON.stringify({ type: 'header', ...header }),
      ...entries.map((entry) => JSON.stringify({ type: 'entry', callKey: header.callKey, ...entry })),
    ];
    let chunk = '';
    for (const line of lines) chunk += `${redactSecrets(line, this.secrets)}\n`;
    // Chunks of agents finishing in the same tick go out as one write: a fan-out otherwise makes
    // one write call (and one callback) per agent.
    this.batch ??= this.flushSoon();
    const batch = this.batch;
    batch.chunks.push(chunk);
    return batch.written;
  }

  /** Flushes and closes the file (at the end of the run). */
  async close(): Promise<void> {
    if (!this.stream) return;
    await this.batch?.written.catch(() => undefined);
    const stream = await this.stream;
    await new Promise<void>((resolve) => stream.end(resolve));
  }

  private flushSoon(): Batch {
    const chunks: string[] = [];
    const written = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.batch = undefined;
        this.stream!.then(
          (stream) => stream.write(chunks.join(''), (error) => (error ? reject(error) : resolve())),
          reject,
        );
      });
    });
    // Every writer awaits `written`; this keeps a failed batch nobody awaits from going unhandled.
    written.catch(() => undefined);
    return { chunks, written };
  }
}

/** Every agent's newest transcript of a run, in the order they were written. */
export async function readTranscripts(
  stateDir: string,
  runId: string,
): Promise<{ header: TranscriptHeader; lines: TranscriptLine[] }[]> {
  const text = await readFile(transcriptsFile(stateDir, runId), 'utf8').catch(() => '');
  const byCall = new Map<string, { header: TranscriptHeader; lines: TranscriptLine[] }>();
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    let line: TranscriptLine;
    try {
      line = JSON.parse(raw) as TranscriptLine;
    } catch {
      continue; // a chunk cut short by a crash: the rest of the file is still readable
    }
    if (line.type === 'header') {
      byCall.delete(line.callKey); // a newer attempt of the same call replaces the older one
      byCall.set(line.callKey, { header: line, lines: [] });
    } else {
      byCall.get(line.callKey)?.lines.push(line);
    }
  }
  return [...byCall.values()];
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
