/**
 * `dynaflow show ID --agent LABEL`: one agent's messages and tool calls. Transcripts are written
 * by the runtime under `.dynaflow/runs/<id>/`.
 */
import { UsageError } from '../errors/index.js';
import type { CliIo } from './context.js';

export function renderAgentTranscript(
  _io: CliIo,
  _stateDir: string,
  runId: string,
  label: string,
): Promise<number> {
  return Promise.reject(
    new UsageError('USAGE', `transcripts are not recorded yet (run ${runId}, agent ${label})`),
  );
}
