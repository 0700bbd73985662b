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

const NO_SANDBOX_HELP = 'run commands without the OS sandbox (same as DYNAFLOW_SANDBOX=off)';

/** Commander's value of `--no-sandbox`. */
interface SandboxFlag {
  readonly sandbox?: boolean;
}

/**
 * `--no-sandbox` is `DYNAFLOW_SANDBOX=off` for this command: one switch for execute.ts to read,
 * and a detached run's child inherits it with the environment.
 */
function withSandboxFlag(io: CliIo, flags: SandboxFlag): CliIo {
  return flags.sandbox === false ? { ...io, env: { ...io.env, DYNAFLOW_SANDBOX: 'off' } } : io;
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
    .option('--detach', 'run in the background: print the run id and exit (watch it with `monitor`)')
    .option('--no-sandbox', NO_SANDBOX_HELP)
    .action(async (target: string, flags: import('./commands/run.js').RunFlags & SandboxFlag) => {
      const { runCommand } = await import('./commands/run.js');
      setHandler(() => runCommand(withSandboxFlag(io, flags), projectRoot(), target, flags));
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
    .option('--no-sandbox', NO_SANDBOX_HELP)
    .action(async (runId: string, flags: import('./commands/resume.js').ResumeFlags & SandboxFlag) => {
      const { resumeCommand } = await import('./commands/resume.js');
      setHandler(() => resumeCommand(withSandboxFlag(io, flags), projectRoot(), runId, flags));
    });

  program
    .command('runs')
    .description('list the runs of this project, newest first')
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'show at most n runs', flag(parsePositiveInteger('--limit')))
    .option('--state-dir <dir>', 'where the journal lives')
    .action(async (flags: import('./commands/runs.js').RunsFlags) => {
      const { runsCommand } = await import('./commands/runs.js');
      setHandler(() => runsCommand(io, projectRoot(), flags));
    });

  program
    .command('show')
    .description('one run: status, result, and per phase every agent with tokens, cost and duration')
    .argument('<run-id>')
    .option('--json', 'machine-readable output')
    .option('--agent <label>', "one agent's transcript (messages and tool calls)")
    .option('--state-dir <dir>', 'where the journal lives')
    .action(async (runId: string, flags: import('./commands/show.js').ShowFlags) => {
      const { showCommand } = await import('./commands/show.js');
      setHandler(() => showCommand(io, projectRoot(), runId, flags));
    });

  program
    .command('cancel')
    .description('stop a run; the process driving it notices within a second and exits 130')
    .argument('<run-id>')
    .option('--state-dir <dir>', 'where the journal lives')
    .action(async (runId: string, flags: import('./commands/cancel.js').CancelFlags) => {
      const { cancelCommand } = await import('./commands/cancel.js');
      setHandler(() => cancelCommand(io, projectRoot(), runId, flags));
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
    .option('--rpm <n>', 'requests per minute before answering 429 with retry-after', flag(Number))
    .option('--input-tpm <n>', 'input tokens per minute before answering 429', flag(Number))
    .option('--output-tpm <n>', 'output tokens per minute before answering 429', flag(Number))
    .action(async (flags: import('./commands/sim.js').SimFlags) => {
      const { simCommand } = await import('./commands/sim.js');
      setHandler(() => simCommand(io, flags));
    });

  program
    .command('gc')
    .description('remove worktrees and merged agent branches left by finished runs')
    .option('--state-dir <dir>', 'where the journal lives')
    .option('--all', 'also clean runs still marked running (after a crash)')
    .action(async (flags: import('./commands/gc.js').GcFlags) => {
      const { gcCommand } = await import('./commands/gc.js');
      setHandler(() => gcCommand(io, projectRoot(), flags));
    });

  program
    .command('demo')
    .description('a real multi-agent workflow on the in-process simulator; no key needed')
    .option('--latency <ms>', 'simulated model latency (default 250)', flag(Number))
    .option('--concurrency <n>', 'agents at once (default 4)', flag(parsePositiveInteger('--concurrency')))
    .option('--state-dir <dir>', 'where the journal lives')
    .option('--no-sandbox', NO_SANDBOX_HELP)
    .action(async (flags: import('./commands/demo.js').DemoFlags & SandboxFlag) => {
      const { demoCommand } = await import('./commands/demo.js');
      setHandler(() => demoCommand(withSandboxFlag(io, flags), projectRoot(), flags));
    });

  program
    .command('doctor')
    .description('check this machine: node, the OS sandbox for commands, git, ripgrep, the state directory')
    .option('--state-dir <dir>', 'where the journal lives')
    .action(async (flags: import('./commands/doctor.js').DoctorFlags) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      setHandler(() => doctorCommand(io, projectRoot(), flags));
    });

  program
    .command('plan')
    .description('the plan card only: agents per phase, tokens and cost, from a rehearsal on the simulator')
    .argument('<file-or-name>', 'a script or the name of a saved workflow')
    .option('--args <json>', 'the value of `args` (JSON if it parses, else the raw string)')
    .option('--provider <id>', 'the provider the run would use (for the card; nothing is sent)')
    .option('--model <model>', 'default model: opus | sonnet | haiku | a full id')
    .option('--concurrency <n>', 'agents running at once', flag(parsePositiveInteger('--concurrency')))
    .option('--max-agents <n>', 'agents per run', flag(parsePositiveInteger('--max-agents')))
    .option('--budget <tokens>', 'output-token ceiling', flag(parsePositiveInteger('--budget')))
    .option('--max-cost <usd>', 'cost ceiling in USD', flag(parsePositiveNumber('--max-cost')))
    .option('--seed <n>', "seed of the script's Math.random() in the rehearsal", flag(Number))
    .option('--json', 'also print the plan as JSON on stdout')
    .action(async (target: string, flags: import('./commands/plan.js').PlanFlags) => {
      const { planCommand } = await import('./commands/plan.js');
      setHandler(() => planCommand(io, projectRoot(), target, flags));
    });

  program
    .command('ultracode')
    .description(
      'a planner agent writes a workflow for the task; validated, shown as a plan card, run, saved',
    )
    .argument('<task>', 'what to do, in words')
    .option('-y, --yes', 'run the planned workflow without asking')
    .option('--provider <id>', 'anthropic | bedrock | vertex | foundry | openai | sim')
    .option('--model <model>', "default model of the workflow's agents")
    .option('--planner-model <model>', 'the planner agent (default opus)')
    .option(
      '--max-rounds <n>',
      'planner answers before giving up (default 3)',
      flag(parsePositiveInteger('--max-rounds')),
    )
    .option('--concurrency <n>', 'agents running at once', flag(parsePositiveInteger('--concurrency')))
    .option('--max-agents <n>', 'agents per run', flag(parsePositiveInteger('--max-agents')))
    .option('--budget <tokens>', 'output-token ceiling', flag(parsePositiveInteger('--budget')))
    .option('--max-cost <usd>', 'cost ceiling in USD', flag(parsePositiveNumber('--max-cost')))
    .option('--state-dir <dir>', 'where the journal lives')
    .option('-q, --quiet', 'no per-agent lines')
    .action(async (task: string, flags: import('./commands/ultracode.js').UltracodeFlags) => {
      const { ultracodeCommand } = await import('./commands/ultracode.js');
      setHandler(() => ultracodeCommand(io, projectRoot(), task, flags));
    });

  program
    .command('trust')
    .description(
      'trust this folder: its own MCP servers, models, prices, agent types and allow rules take effect',
    )
    .option('--revoke', 'stop trusting this folder')
    .option('--list', 'list the trusted folders')
    .action(async (flags: import('./commands/trust.js').TrustFlags) => {
      const { trustCommand } = await import('./commands/trust.js');
      setHandler(() => trustCommand(io, projectRoot(), flags));
    });

  program
    .command('workflows')
    .description('list saved workflows (project, personal, built-in) with description and when to use')
    .option('--json', 'machine-readable output on stdout')
    .action(async (flags: import('./commands/workflows.js').WorkflowsFlags) => {
      const { workflowsCommand } = await import('./commands/workflows.js');
      setHandler(() => workflowsCommand(io, projectRoot(), flags));
    });

  program
    .command('monitor')
    .description('watch a running or finished run from another terminal (default: the newest running one)')
    .argument('[run-id]')
    .option('--once', 'print its state once and exit')
    .option('--interval <ms>', 'poll period (default 500)', flag(parsePositiveInteger('--interval')))
    .option('--state-dir <dir>', 'where the journal lives')
    .action(async (runId: string | undefined, flags: import('./commands/monitor.js').MonitorFlags) => {
      const { monitorCommand } = await import('./commands/monitor.js');
      setHandler(() => monitorCommand(io, projectRoot(), runId, flags));
    });

  // `dynaflow NAME [flags]` runs a saved workflow (or a script file); with "ultracode": true in
  // the settings, `dynaflow "TASK"` plans one. Everything after the first word goes along.
  program
    .argument('[words...]')
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .action(async (words: string[]) => {
      const first = words[0];
      if (first === undefined) return;
      const { defaultCommand } = await import('./commands/default-command.js');
      const argv = defaultCommand(io, projectRoot(), words);
      await buildProgram(io, setHandler).parseAsync(argv, { from: 'user' });
    });

  return program;
}
