/**
 * Test fixture: a dynaflow-like parent process whose own environment (from exec time, as
 * `/proc/<pid>/environ` shows it) holds a provider key. It runs one command through `runShell`
 * and prints the result as JSON. Run with `node --import tsx`.
 */
import { CommandSandbox, runShell } from '../index.js';

interface FixtureRequest {
  readonly command: string;
  readonly cwd: string;
  readonly sandbox: boolean;
}

const request = JSON.parse(process.argv[2] ?? '{}') as FixtureRequest;
const sandbox = request.sandbox ? new CommandSandbox({ mode: 'auto' }) : undefined;
const result = await runShell({
  command: request.command,
  cwd: request.cwd,
  timeoutMs: 20_000,
  ...(sandbox ? { sandbox } : {}),
});
await sandbox?.close();
process.stdout.write(JSON.stringify(result));
