/**
 * Entry of the `dynaflow` command. Returns the exit code instead of exiting, so tests can call
 * it in-process.
 * @example process.exitCode = await main(process.argv.slice(2));
 */
import { CommanderError } from 'commander';
import { DynaflowError, EXIT, exitCodeFor } from '../errors/index.js';
import { processIo, type CliIo } from './context.js';
import { buildProgram } from './program.js';

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let handler: (() => Promise<number>) | undefined;
  const program = buildProgram(io, (chosen) => {
    handler = chosen;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (!handler) {
      io.stderr(program.helpInformation().trimEnd());
      return EXIT.usage;
    }
    return await handler();
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.done : EXIT.usage;
    }
    if (DynaflowError.isInstance(error)) {
      io.stderr(`error: ${error.code}: ${error.describe()}`);
      return exitCodeFor(error);
    }
    io.stderr(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.scriptThrew;
  }
}
