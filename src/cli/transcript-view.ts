/**
 * `dynaflow show ID --agent LABEL`: one agent's messages and tool calls, as the runtime stored
 * them in `.dynaflow/runs/<id>/transcripts.jsonl`. The label is matched exactly, then by its
 * sanitised file name, then by call key (prefix); duplicate labels print every match.
 */
import { EXIT, UsageError } from '../errors/index.js';
import { readTranscripts, type TranscriptHeader, type TranscriptLine } from '../runtime/index.js';
import { sanitiseLabel } from '../workspace/index.js';
import type { CliIo } from './context.js';

/** Longest tool result or text shown per entry; the file keeps what the loop recorded. */
const SHOWN_CHARS = 4_000;

/**
 * @example
 * await renderAgentTranscript(io, '/repo/.dynaflow', 'wf_abc', 'fix:src/a.ts');
 */
export async function renderAgentTranscript(
  io: CliIo,
  stateDir: string,
  runId: string,
  label: string,
): Promise<number> {
  const transcripts = await readTranscripts(stateDir, runId);
  const matches = pick(transcripts, label);
  if (matches.length === 0) {
    const known = transcripts.map((transcript) => transcript.header.label);
    throw new UsageError('USAGE', `run ${runId} has no transcript for an agent labelled "${label}"`, {
      hint:
        known.length > 0
          ? `agents with transcripts: ${known.map((name) => JSON.stringify(name)).join(', ')}`
          : `no transcripts were recorded for ${runId} (see dynaflow show ${runId})`,
    });
  }
  for (const transcript of matches) {
    for (const line of renderTranscript(transcript.header, transcript.lines)) io.stdout(`${line}\n`);
  }
  return EXIT.done;
}

function pick<T extends { header: TranscriptHeader }>(transcripts: readonly T[], label: string): T[] {
  const exact = transcripts.filter((transcript) => transcript.header.label === label);
  if (exact.length > 0) return exact;
  const bySanitised = transcripts.filter((transcript) => sanitiseLabel(transcript.header.label) === label);
  if (bySanitised.length > 0) return bySanitised;
  return transcripts.filter((transcript) => transcript.header.callKey.startsWith(label));
}

/** Plain lines, readable in a terminal and in a pipe. */
export function renderTranscript(header: TranscriptHeader, lines: readonly TranscriptLine[]): string[] {
  const out: string[] = [
    `agent ${JSON.stringify(header.label)} — ${header.status}${header.model ? `, ${header.model}` : ''} (call ${header.callKey})`,
    `workspace ${header.workspace}${header.branch ? `, branch ${header.branch}` : ''}`,
  ];
  if (header.error) out.push(`note: ${header.error}`);
  for (const line of lines) {
    if (line.type !== 'entry') continue;
    switch (line.kind) {
      case 'prompt':
        out.push('', '── prompt', clip(line.text));
        break;
      case 'assistant': {
        out.push('', `── turn ${line.turn} (assistant, ${line.usage.outputTokens} output tokens)`);
        for (const block of line.content) {
          if (block.type === 'text') out.push(clip(block.text));
          else out.push(`→ ${block.name} ${clip(JSON.stringify(block.input))}`);
        }
        break;
      }
      case 'tool-call':
        out.push(`← ${line.name}${line.isError ? ' (error)' : ''}: ${clip(line.result)}`);
        break;
      case 'reminder':
        out.push('', `── reminder (turn ${line.turn})`, clip(line.text));
        break;
    }
  }
  return out;
}

function clip(text: string): string {
  return text.length > SHOWN_CHARS
    ? `${text.slice(0, SHOWN_CHARS)}… [${text.length - SHOWN_CHARS} more chars]`
    : text;
}
