/** The command line, as SPEC §3 lists it. Each command's work lives in `commands/`. */
import { Command, InvalidArgumentError } from 'commander';
import { DynaflowError } from '../errors/index.js';
import {
  findProjectRoot,
  parsePort,
  parsePositiveInteger,
  parsePositiveNumber,
  type CliIo,
} from './context.js';

type Handler = () => Promise<number>;

/** Commander's parsers must throw its own error type to print a usage message. */
function flag<T>(parse: (value: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(DynaflowError.isInstance(error) ? error.message : String(error));
    }
  };
}

export function buildProgram(io: CliIo, setHandler: (handler: Handler) => void): Command {
  const projectRoot = (): string => findProjectRoot(io.cwd);
  const program = new Command('dynaflow')
    .description(
      'Run dynamic workflows: scripts that fan work out to many LLM agents, journaled and resumable.',
    )
    .version('0.1.0')
    .configureOutput({
      writeOut: (text) => io.stderr(text.trimEnd()),
      writeErr: (text) => io.stderr(text.trimEnd()),
    })
    .exitOverride();

  program
    .command('run')
    .description('show the plan card and run a workflow script or saved workflow')
    .argument('<file-or-name>', 'a script (NAME.workflow.js/.ts) or the name of a saved workflow')
    .option('--args <json>', 'the value of `args` (JSON if it parses, else the raw string)')
    .option('-y, --yes', 'run without asking for approval')
    .option('--provider <id>', 'anthropic | sim (default: DYNAFLOW_PROVIDER or anthropic)')
    .option('--model <model>', 'default model: opus | sonnet | haiku | a full id')
    .option(
      '--concurrency <n>',
      'agents running at once (default 16)',
      flag(parsePositiveInteger('--concurrency')),
    )
    .option('--max-agents <n>', 'agents per run (default 1000)', flag(parsePositiveInteger('--max-agents')))
    .option('--budget <tokens>', 'hard ceiling on output tokens', flag(parsePositiveInteger('--budget')))
    .option(
      '--max-cost <usd>',
      'hard ceiling on estimated cost in USD',
      flag(parsePositiveNumber('--max-cost')),
    )
    .option('--reuse <run-id>', 'reuse every unchanged call of an earlier run')
    .option('--state-dir <dir>', 'where the journal lives (default: <project>/.dynaflow)')
    .option('-q, --quiet', 'no per-agent lines')
    .action(async (target: string, flags: import('./commands/run.js').RunFlags) => {
      const { runCommand } = await import('./commands/run.js');
      setHandler(() => runCommand(io, projectRoot(), target, flags));
    });

  program
    .command('resume')
    .description('continue a stopped, failed or killed run')
    .argument('<run-id>')
    .option('--provider <id>', 'override the provider the run was started with')
    .option('--budget <tokens>', 'a new output-token ceiling', flag(parsePositiveInteger('--budget')))
    .option('--max-cost <usd>', 'a new cost ceiling in USD', flag(parsePositiveNumber('--max-cost')))
    .option('--concurrency <n>', 'agents running at once', flag(parsePositiveInteger('--concurrency')))
    .option('--state-dir <dir>', 'where the journal lives')
    .option('-q, --quiet', 'no per-agent lines')
    .action(async (runId: string, flags: import('./commands/resume.js').ResumeFlags) => {
      const { resumeCommand } = await import('./commands/resume.js');
      setHandler(() => resumeCommand(io, projectRoot(), runId, flags));
    });

  program
    .command('validate')
    .description('check a workflow script statically')
    .argument('<file>')
    .action(async (file: string) => {
      const { validateCommand } = await import('./commands/validate.js');
      setHandler(() => validateCommand(io, file));
    });

  program
    .command('sim')
    .description('start the model simulator (Anthropic Messages and OpenAI Chat Completions wire protocols)')
    .option('--port <n>', 'port on 127.0.0.1 (default 0: any free port)', flag(parsePort))
    .option('--seed <n>', 'seed of every default answer', flag(Number))
    .option('--latency <ms>', 'delay before each answer', flag(Number))
    .option('--fail-rate <p>', 'share of requests answered 429/529 (0..1)', flag(Number))
    .option('--behaviour <file>', 'a JS module whose respond(request) decides answers')
    .action(async (flags: import('./commands/sim.js').SimFlags) => {
      const { simCommand } = await import('./commands/sim.js');
      setHandler(() => simCommand(io, flags));
    });

  program
    .command('demo')
    .description('a real multi-agent workflow on the in-process simulator; no key needed')
    .option('--latency <ms>', 'simulated model latency (default 250)', flag(Number))
    .option('--concurrency <n>', 'agents at once (default 4)', flag(parsePositiveInteger('--concurrency')))
    .option('--state-dir <dir>', 'where the journal lives')
    .action(async (flags: import('./commands/demo.js').DemoFlags) => {
      const { demoCommand } = await import('./commands/demo.js');
      setHandler(() => demoCommand(io, projectRoot(), flags));
    });

  return program;
}
