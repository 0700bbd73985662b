/**
 * The command line's side of workspace trust (src/settings/workspace-trust.ts): saying what a
 * folder's own configuration would do, asking whether to trust it when there is a terminal to ask
 * in, and otherwise saying once what did not take effect and how to change that.
 */
import os from 'node:os';
import path from 'node:path';
import {
  checkProjectTrust,
  describeServer,
  loadSettings,
  trustProject,
  type DynaflowSettings,
} from '../settings/index.js';
import type { Prompter } from './prompter.js';
import type { CliIo } from './context.js';

/** The user's home as this process sees it (tests point HOME elsewhere). */
export function homeOf(io: CliIo): string {
  return io.env.HOME ?? os.homedir();
}

/**
 * What trusting the folder would let its files do, one line each: every command that would start,
 * every model remapping and price, the allow rules, sandbox settings and agent types.
 */
export async function describeProjectConfiguration(projectRoot: string, homeDir: string): Promise<string[]> {
  // Loaded untrusted, what is left out is exactly what trusting would let in; the load also
  // fingerprints the files, so they are read once.
  const untrusted = await loadSettings(projectRoot, homeDir, process.env);
  if (untrusted.trust.files.length === 0) return [];
  return [
    `files: ${untrusted.trust.files.join(', ')}`,
    ...(untrusted.trust.ignored.length > 0
      ? untrusted.trust.ignored
      : ['(nothing in them needs trust beyond what already applies)']),
  ];
}

/**
 * Before a run or a plan: in a folder whose configuration is not trusted, ask in a terminal
 * (`--yes` and scripts never are), else warn once. Returns whether the folder is trusted now.
 */
export async function settleProjectTrust(
  io: CliIo,
  projectRoot: string,
  options: { readonly ask: boolean; readonly prompter?: () => Prompter },
): Promise<boolean> {
  const homeDir = homeOf(io);
  const trust = checkProjectTrust(projectRoot, homeDir);
  if (trust.trusted) return true;
  const lines = await describeProjectConfiguration(projectRoot, homeDir);
  const why =
    trust.state === 'changed'
      ? `the configuration of ${projectRoot} changed since you trusted it`
      : `${projectRoot} is not a trusted folder`;
  if (!options.ask || !io.stdinIsTty || !io.stderrIsTty || !options.prompter) {
    io.stderr(
      `warning: ${why}; its own configuration does not take effect:\n${lines.map((line) => `  ${line}`).join('\n')}\n` +
        `  review those files, then trust the folder with: dynaflow trust`,
    );
    return false;
  }
  io.stderr(`${why}. Trusting it lets its files start processes and change models, prices and permissions:`);
  for (const line of lines) io.stderr(`  ${line}`);
  const prompter = options.prompter();
  try {
    const answer = (await prompter.ask('Trust this folder? [y/N] › ')).trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') {
      const file = trustProject(projectRoot, homeDir);
      io.stderr(`trusted (recorded in ${file}); asked again when those files change`);
      return true;
    }
  } finally {
    prompter.close();
  }
  io.stderr('not trusted: the run goes on without the folder’s own configuration');
  return false;
}

/**
 * How saved workflows are looked up by name here: the project's own may shadow personal and
 * built-in ones only in a folder the user trusted explicitly.
 */
export function workflowLookup(io: CliIo, projectRoot: string): { readonly projectFirst: boolean } {
  const { state } = checkProjectTrust(projectRoot, homeOf(io));
  return { projectFirst: state === 'trusted' || state === 'home' };
}

/** Plan-card lines about what will start, what models and prices apply, and how commands run. */
export function configurationSummary(
  settings: DynaflowSettings,
  projectRoot: string,
): { mcpServers: string[]; modelRemaps: string[]; priceOverrides: string[]; untrusted: string[] } {
  const relative = (file: string): string =>
    file.startsWith(projectRoot + path.sep) ? path.relative(projectRoot, file) : file;
  return {
    mcpServers: Object.entries(settings.mcpServers).map(
      ([name, server]) => `${name}: ${describeServer(server)}`,
    ),
    modelRemaps: Object.entries(settings.models).map(([alias, model]) => `${alias} → ${model}`),
    priceOverrides: Object.entries(settings.prices).map(
      ([model, price]) => `${model}: $${price.input}/$${price.output} per M in/out`,
    ),
    untrusted: settings.trust.ignored.map(relative),
  };
}
